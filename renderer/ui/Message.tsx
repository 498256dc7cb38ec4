import { useTranslation } from 'react-i18next';

/** A full-page (or `overlay`) notice: a wrong address, a bad layout, a failed login. */
export function Message(props: {
  text?: string;
  textKey?: string;
  values?: Record<string, string | number>;
  detail?: string[];
  overlay?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <div className={props.overlay ? 'gw-message gw-message-overlay' : 'gw-message'} role="alert">
      <div>{props.text ?? (props.textKey ? t(props.textKey, props.values) : '')}</div>
      {props.detail?.length ? (
        <ul>
          {props.detail.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
