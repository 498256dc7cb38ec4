import { useTranslation } from 'react-i18next';
import { DialogFrame, type DialogProps, noteLabel, useDialog, withCase } from './Frame';

/** Verify, approve an extension, comment: a note (required for a comment). */
export function NoteDialog({ dialog }: DialogProps) {
  const { t } = useTranslation();
  const model = withCase(useDialog(dialog));
  if (!model) return null;
  const submit = async () => {
    model.setError(null);
    const text = model.text.trim();
    if (model.def.reasonRequired && !text) return model.setError(t('console.dialog.noteRequired'));
    await model.send(text ? { note: text } : {});
  };
  return (
    <DialogFrame dialog={dialog} model={model} textLabel={noteLabel(model.def, t)} onSubmit={() => void submit()} />
  );
}
