import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Suggestion } from '../../suggestions';
import { DispatchPicker } from './DispatchPicker';
import { DialogFrame, type DialogProps, useDialog, withCase } from './Frame';

/** Dispatch: the assignee picked from the suggestions (the dialog keeps the focus), and a note. */
export function DispatchDialog({ dialog }: DialogProps) {
  const { t } = useTranslation();
  const model = withCase(useDialog(dialog));
  const [pick, setPick] = useState<Suggestion | null>(null);
  if (!model) return null;
  const submit = async () => {
    model.setError(null);
    if (!pick) return;
    const text = model.text.trim();
    const args: Record<string, unknown> = { assignee: { kind: pick.kind, id: pick.id } };
    if (text) args.note = text;
    await model.send(args);
  };
  return (
    <DialogFrame
      dialog={dialog}
      model={model}
      textLabel={t('console.dispatch.note')}
      focusText={false}
      confirmDisabled={!pick}
      onSubmit={() => void submit()}
    >
      <DispatchPicker c={model.c} pick={pick} onPick={setPick} prefillId={dialog.prefill?.assigneeId ?? null} />
    </DialogFrame>
  );
}
