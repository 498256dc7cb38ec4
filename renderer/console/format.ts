import type { Category } from '../../protocol';

export function categoryName(categories: ReadonlyMap<string, Category>, code: string, en: boolean): string {
  const c = categories.get(code);
  return c ? (en ? c.nameEn || c.name : c.name) : code;
}
