import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CASE_LEVELS, type CaseLevel } from '../../../../protocol';
import { nextLevel } from '../../actions';
import { DialogFrame, type DialogProps, noteLabel, useDialog, withCase } from './Frame';

/** Escalate: the level it goes to (the next one up unless chosen), and a reason. */
export function EscalateDialog({ dialog }: DialogProps) {
  const { t } = useTranslation();
  const model = withCase(useDialog(dialog));
  const [toLevel, setToLevel] = useState<CaseLevel | ''>(model ? (nextLevel(model.c.level) ?? '') : '');
  if (!model) return null;
  const { c } = model;
  const submit = async () => {
    model.setError(null);
    const text = model.text.trim();
    if (!text) return model.setError(t('console.dialog.reasonRequired'));
    await model.send(toLevel ? { reason: text, toLevel } : { reason: text });
  };
  return (
    <DialogFrame dialog={dialog} model={model} textLabel={noteLabel(model.def, t)} onSubmit={() => void submit()}>
      <label className="gc-form-field">
        <span>{t('console.dialog.toLevel')}</span>
        <select value={toLevel} onChange={(e) => setToLevel(e.target.value as CaseLevel)}>
          {CASE_LEVELS.filter((l) => CASE_LEVELS.indexOf(l) > CASE_LEVELS.indexOf(c.level)).map((l) => (
            <option key={l} value={l}>
              {t(`level.${l}`)}
            </option>
          ))}
        </select>
      </label>
    </DialogFrame>
  );
}
