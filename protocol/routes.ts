/** The renderer's pages. The server serves each, the renderer routes on them, Electron opens them. */
export const PAGES = ['wall', 'preview', 'console', 'presenter'] as const;
export type Page = (typeof PAGES)[number];

/** Paths the server answers with the renderer's index.html (`/` opens the wall). */
export const PAGE_PATHS: readonly string[] = ['/', ...PAGES.map((p) => `/${p}`)];

/** The page a location's path names; null for a path that is none of them. */
export function pageOf(pathname: string): Page | null {
  if (pathname === '/') return 'wall';
  const first = pathname.split('/')[1] ?? '';
  return (PAGES as readonly string[]).includes(first) ? (first as Page) : null;
}
