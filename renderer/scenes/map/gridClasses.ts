import { DEFAULT_GRID_CLASSES, type GridClassesConfig, MapConfigAnswer } from '../../../protocol';

let served: Promise<GridClassesConfig> | null = null;

/**
 * The grid colour classes of the page's server (`GET /api/map`, from its config), asked once per
 * page: every map on every display and in the preview colours by the same numbers. A server that
 * does not answer (an older one) leaves the protocol's defaults, which are the config's defaults.
 */
export function servedGridClasses(): Promise<GridClassesConfig> {
  served ??= fetch(`${location.origin}/api/map`)
    .then((res) => (res.ok ? res.json() : null))
    .then((raw: unknown) => {
      const parsed = MapConfigAnswer.safeParse(raw);
      return parsed.success ? parsed.data.gridClasses : { ...DEFAULT_GRID_CLASSES };
    })
    .catch(() => ({ ...DEFAULT_GRID_CLASSES }));
  return served;
}
