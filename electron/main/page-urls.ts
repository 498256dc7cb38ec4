import type { UiLanguage } from '../../protocol/ipc';
import type { Page } from '../../protocol/routes';

/** The URLs the shell opens (and `npm start` prints): the renderer's pages, served by the GridWall server. */

/**
 * The URL of a page under the server's base URL, keeping a path prefix (a reverse proxy):
 * `pageUrl('http://h/gw', 'wall')` is `http://h/gw/wall`.
 */
const pageUrl = (serverUrl: string, page: Page, params: Record<string, string>): string => {
  const base = new URL(serverUrl);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  base.search = '';
  base.hash = '';
  const url = new URL(page, base);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
};

export const wallUrl = (serverUrl: string, screen: number, layout: string, language: UiLanguage): string =>
  pageUrl(serverUrl, 'wall', { display: String(screen), layout, lang: language });

export const consoleUrl = (serverUrl: string, language: UiLanguage): string =>
  pageUrl(serverUrl, 'console', { lang: language });

/** The presenter's page (a laptop or tablet beside the wall, not a wall window). */
export const presenterUrl = (serverUrl: string, language: UiLanguage): string =>
  pageUrl(serverUrl, 'presenter', { lang: language });

export const previewUrl = (serverUrl: string, layout: string, language: UiLanguage): string =>
  pageUrl(serverUrl, 'preview', { layout, lang: language });
