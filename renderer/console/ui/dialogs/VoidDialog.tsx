import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsoleRuntime } from '../../runtime';
import { DialogFrame, type DialogProps, noteLabel, useDialog, withCase } from './Frame';

/** A case's code to its id: the cases held here first, then the server's search. */
async function findCaseId(runtime: ConsoleRuntime, code: string): Promise<string | null> {
  for (const c of runtime.store.getState().cases.byId.values()) if (c.code === code) return c.id;
  const token = runtime.ui.getState().session?.token;
  if (!token) return null;
  try {
    const res = await fetch(`/api/cases?q=${encodeURIComponent(code)}&limit=5`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await res.json()) as { items?: Array<{ id?: unknown; code?: unknown }> };
    const hit = body.items?.find((i) => i.code === code);
    return typeof hit?.id === 'string' ? hit.id : null;
  } catch {
    return null;
  }
}

/** Void: a reason, and the case this one duplicates (by its code), if any. */
export function VoidDialog({ dialog }: DialogProps) {
  const { t } = useTranslation();
  const model = withCase(useDialog(dialog));
  const [duplicateCode, setDuplicateCode] = useState('');
  if (!model) return null;
  const submit = async () => {
    model.setError(null);
    const text = model.text.trim();
    if (!text) return model.setError(t('console.dialog.reasonRequired'));
    const args: Record<string, unknown> = { reason: text };
    const code = duplicateCode.trim();
    if (code) {
      const id = await findCaseId(model.runtime, code);
      if (!id) return model.setError(t('console.dialog.duplicateUnknown', { code }));
      args.duplicateOf = id;
    }
    await model.send(args);
  };
  return (
    <DialogFrame dialog={dialog} model={model} textLabel={noteLabel(model.def, t)} onSubmit={() => void submit()}>
      <label className="gc-form-field">
        <span>{t('console.dialog.duplicateOf')}</span>
        <input value={duplicateCode} onChange={(e) => setDuplicateCode(e.target.value)} />
      </label>
    </DialogFrame>
  );
}
