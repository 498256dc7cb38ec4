import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Priority } from '../../../../protocol';
import { useData } from '../../context';
import { categoryName } from '../../format';
import { DialogFrame, type DialogProps, noteLabel, useDialog, withCase } from './Frame';

/** File a report: priority and category may change, a note may go with it. */
export function FileDialog({ dialog }: DialogProps) {
  const { t, i18n } = useTranslation();
  const model = withCase(useDialog(dialog));
  const categories = useData((s) => s.categories);
  const [priority, setPriority] = useState<Priority | ''>('');
  const [category, setCategory] = useState('');
  if (!model) return null;
  const { c } = model;
  const en = i18n.language === 'en';
  const submit = async () => {
    model.setError(null);
    const args: Record<string, unknown> = {};
    const text = model.text.trim();
    if (priority) args.priority = priority;
    if (category) args.category = category;
    if (text) args.note = text;
    await model.send(args);
  };
  return (
    <DialogFrame dialog={dialog} model={model} textLabel={noteLabel(model.def, t)} onSubmit={() => void submit()}>
      <div className="gc-form-row">
        <label>
          <span>{t('console.dialog.priority')}</span>
          <select value={priority} onChange={(e) => setPriority(e.target.value as Priority | '')}>
            <option value="">{t(`priority.${c.priority}`)}</option>
            <option value="urgent">{t('priority.urgent')}</option>
            <option value="normal">{t('priority.normal')}</option>
          </select>
        </label>
        <label>
          <span>{t('console.dialog.category')}</span>
          <select value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">
              {t('console.dialog.keepCategory')}（{categoryName(categories, c.category, en)}）
            </option>
            {[...categories.values()].map((k) => (
              <option key={k.code} value={k.code}>
                {en ? k.nameEn || k.name : k.name}
              </option>
            ))}
          </select>
        </label>
      </div>
    </DialogFrame>
  );
}
