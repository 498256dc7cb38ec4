import i18next, { type i18n as I18n } from 'i18next';
import { useMemo } from 'react';
import { initReactI18next, useTranslation } from 'react-i18next';
import { en } from './en';
import { zhCN } from './zh-CN';

export type Language = 'zh-CN' | 'en';
export const LANGUAGES: readonly Language[] = ['zh-CN', 'en'];

export function isLanguage(value: unknown): value is Language {
  return value === 'zh-CN' || value === 'en';
}

/**
 * A feature's texts in both languages, mounted under `name` (`t('console.title')`): each feature
 * (the console, the presenter) keeps its catalogue beside it and registers it; the texts here are
 * the ones every page shares.
 */
export interface Catalogue {
  name: string;
  'zh-CN': object;
  en: object;
}

/** zh-CN first; English second. The layout or `?lang=` picks. */
export function createI18n(language: Language, catalogues: readonly Catalogue[] = []): I18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
    lng: language,
    fallbackLng: 'zh-CN',
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  });
  for (const c of catalogues) addCatalogue(instance, c);
  return instance;
}

export function addCatalogue(instance: I18n, catalogue: Catalogue): void {
  for (const language of LANGUAGES) {
    instance.addResourceBundle(language, 'translation', { [catalogue.name]: catalogue[language] }, true, false);
  }
}

/** A page registers its feature's catalogue before its first render (a lazily loaded page too). */
export function useCatalogue(catalogue: Catalogue): void {
  const { i18n } = useTranslation();
  useMemo(() => addCatalogue(i18n, catalogue), [i18n, catalogue]);
}
