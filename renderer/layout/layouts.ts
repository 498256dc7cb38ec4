import { Layout } from '../../protocol';

// Every shipped layout is bundled: a wall must start without a second request (and offline).
const files = import.meta.glob<unknown>('../../resources/layouts/*.json', { eager: true, import: 'default' });

export type LayoutLoad = { ok: true; layout: Layout } | { ok: false; error: 'unknown' | 'invalid'; issues: string[] };

export function layoutNames(): string[] {
  return Object.keys(files)
    .map((p) => p.replace(/^.*\/([^/]+)\.json$/, '$1'))
    .sort();
}

export function loadLayout(name: string): LayoutLoad {
  const raw = files[`../../resources/layouts/${name}.json`];
  if (raw === undefined) return { ok: false, error: 'unknown', issues: [] };
  const parsed = Layout.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      error: 'invalid',
      issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    };
  }
  return { ok: true, layout: parsed.data };
}
