import type { Catalogue } from '../../i18n';
import { consoleEn } from './en';
import { consoleZhCN } from './zh-CN';

/** The console's texts, under `console.` (registered by the console's page). */
export const consoleCatalogue: Catalogue = { name: 'console', 'zh-CN': consoleZhCN, en: consoleEn };
