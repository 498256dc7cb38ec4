import type { Catalogue } from '../../i18n';
import { presenterEn } from './en';
import { presenterZhCN } from './zh-CN';

/** Presenter mode's texts, under `presenter.`: the presenter's page, and the marks a wall shows. */
export const presenterCatalogue: Catalogue = { name: 'presenter', 'zh-CN': presenterZhCN, en: presenterEn };
