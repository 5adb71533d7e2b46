import { create } from 'zustand';
import type { AppInfo, HostApi, HostError, Locale } from '../../../shared/api/index.ts';
import { i18next } from '../i18n/index.ts';

interface AppState {
  api: HostApi | null;
  info: AppInfo | null;
  locale: Locale;
  /** Set when the host could not be reached or refused us at start-up. */
  startupError: HostError | null;
  connect: (api: HostApi) => Promise<void>;
  setLocale: (locale: Locale) => Promise<HostError | null>;
}

export const useAppStore = create<AppState>((set, get) => ({
  api: null,
  info: null,
  locale: 'zh-CN',
  startupError: null,

  connect: async (api) => {
    const [info, settings] = await Promise.all([api['app.info']({}), api['settings.get']({})]);
    if (!info.ok) return set({ api, startupError: info.error });
    if (!settings.ok) return set({ api, startupError: settings.error });
    await i18next.changeLanguage(settings.value.locale);
    set({ api, info: info.value, locale: settings.value.locale, startupError: null });
  },

  setLocale: async (locale) => {
    const api = get().api;
    if (api === null) return null;
    const result = await api['settings.update']({ locale });
    if (!result.ok) return result.error;
    await i18next.changeLanguage(result.value.locale);
    set({ locale: result.value.locale });
    return null;
  },
}));
