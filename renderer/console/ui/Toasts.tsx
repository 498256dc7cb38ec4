import { useTranslation } from 'react-i18next';
import { useUi } from '../context';
import './Toasts.css';

export function Toasts() {
  const { t } = useTranslation();
  const toasts = useUi((s) => s.toasts);
  if (toasts.length === 0) return null;
  return (
    <div className="gc-toasts" aria-live="polite">
      {toasts.map((x) => (
        <div key={x.id} className={`gc-toast gc-toast-${x.kind}`} data-testid="toast" data-kind={x.kind}>
          {x.kind === 'notAllowed'
            ? `${t(`console.action.${x.action}`)} · ${x.code}`
            : t(`console.toast.${x.kind}`, { action: t(`console.action.${x.action}`), code: x.code })}
        </div>
      ))}
    </div>
  );
}
