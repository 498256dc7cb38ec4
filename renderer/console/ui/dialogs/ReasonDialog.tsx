import { useTranslation } from 'react-i18next';
import { DialogFrame, type DialogProps, noteLabel, useDialog, withCase } from './Frame';

/** Reject, return, suspend, reopen, refuse an extension: a reason is required. */
export function ReasonDialog({ dialog }: DialogProps) {
  const { t } = useTranslation();
  const model = withCase(useDialog(dialog));
  if (!model) return null;
  const submit = async () => {
    model.setError(null);
    const text = model.text.trim();
    if (!text) return model.setError(t('console.dialog.reasonRequired'));
    await model.send({ reason: text });
  };
  return (
    <DialogFrame dialog={dialog} model={model} textLabel={noteLabel(model.def, t)} onSubmit={() => void submit()} />
  );
}
