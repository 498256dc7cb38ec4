import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Satisfaction } from '../../../../protocol';
import { DialogFrame, type DialogProps, noteLabel, useDialog, withCase } from './Frame';

const SATISFACTIONS: Array<Satisfaction | ''> = ['', 'satisfied', 'basic', 'unsatisfied'];

/** Close: the resident's satisfaction (keys 1–4) and a note. */
export function CloseDialog({ dialog }: DialogProps) {
  const { t } = useTranslation();
  const model = withCase(useDialog(dialog));
  const [satisfaction, setSatisfaction] = useState<Satisfaction | ''>(
    (dialog.prefill?.satisfaction as Satisfaction | undefined) ?? '',
  );
  if (!model) return null;
  const submit = async () => {
    model.setError(null);
    const args: Record<string, unknown> = {};
    const text = model.text.trim();
    if (satisfaction) args.satisfaction = satisfaction;
    if (text) args.note = text;
    await model.send(args);
  };
  const onKey = (ev: KeyboardEvent) => {
    if (!(ev.target instanceof HTMLInputElement) && /^[1-4]$/.test(ev.key)) {
      setSatisfaction(SATISFACTIONS[Number(ev.key) - 1] ?? '');
    }
  };
  return (
    <DialogFrame
      dialog={dialog}
      model={model}
      textLabel={noteLabel(model.def, t)}
      onSubmit={() => void submit()}
      onKey={onKey}
    >
      <div className="gc-form-field">
        <span>{t('console.dialog.satisfaction')}</span>
        <div className="gc-choices">
          {SATISFACTIONS.map((v, i) => (
            <button
              key={v || 'none'}
              type="button"
              aria-pressed={satisfaction === v}
              className={`gc-choice${satisfaction === v ? ' gc-choice-on' : ''}`}
              onClick={() => setSatisfaction(v)}
            >
              <kbd>{i + 1}</kbd>
              {t(`console.satisfaction.${v || 'none'}`)}
            </button>
          ))}
        </div>
      </div>
    </DialogFrame>
  );
}
