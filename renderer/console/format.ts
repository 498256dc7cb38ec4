import type { Area, Category } from '../../protocol';

export function categoryName(categories: ReadonlyMap<string, Category>, code: string, en: boolean): string {
  const c = categories.get(code);
  return c ? (en ? c.nameEn || c.name : c.name) : code;
}

/** Street / community / grid of a grid id. */
export function placeOf(areas: ReadonlyMap<string, Area>, gridId: string): string {
  const grid = areas.get(gridId);
  const community = grid?.parentId ? areas.get(grid.parentId) : undefined;
  const street = community?.parentId ? areas.get(community.parentId) : undefined;
  return [street?.name, community?.name, grid?.name].filter(Boolean).join(' / ') || gridId;
}
