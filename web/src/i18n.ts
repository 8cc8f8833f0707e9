import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './locales/en';
import { sv } from './locales/sv';

/** Swedish first; English on request. No language detection from storage: nothing is kept in the browser. */
export const LANGUAGES = ['sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

void i18next.use(initReactI18next).init({
  resources: { sv: { translation: sv }, en: { translation: en } },
  lng: 'sv',
  fallbackLng: 'sv',
  interpolation: { escapeValue: false },
});
i18next.on('languageChanged', (lng) => document.documentElement.setAttribute('lang', lng));

export default i18next;
