import { create } from 'zustand';
import type { AppInfo, HostApi, HostError, Locale, MethodInput, MethodName, MethodOutput, Result, SessionState, Settings } from '../../../shared/api/index.ts';
import { i18next } from '../i18n/index.ts';
import { configureZodLocale } from '../forms.ts';

interface AppState {
  api: HostApi | null;
  info: AppInfo | null;
  settings: Settings | null;
  session: SessionState | null;
  initialized: boolean;
  /** Set when the host could not be reached or refused us at start-up. */
  startupError: HostError | null;
  connect: (api: HostApi) => Promise<void>;
  /**
   * Every screen calls the host through this: a locked or expired session anywhere switches the
   * whole app to the lock overlay or the login page, without each screen handling it.
   */
  call: <M extends MethodName>(method: M, input: MethodInput<M>) => Promise<Result<MethodOutput<M>>>;
  setSession: (session: SessionState) => void;
  refreshSession: () => Promise<void>;
  setLocale: (locale: Locale) => Promise<HostError | null>;
}

async function applyLocale(locale: Locale): Promise<void> {
  await i18next.changeLanguage(locale);
  configureZodLocale(locale);
}

export const useAppStore = create<AppState>((set, get) => ({
  api: null,
  info: null,
  settings: null,
  session: null,
  initialized: false,
  startupError: null,

  connect: async (api) => {
    const [info, settings, setup, session] = await Promise.all([api['app.info']({}), api['settings.get']({}), api['setup.status']({}), api['session.get']({})]);
    for (const result of [info, settings, setup, session]) if (!result.ok) return set({ api, startupError: result.error });
    if (!info.ok || !settings.ok || !setup.ok || !session.ok) return;
    await applyLocale(settings.value.locale);
    set({ api, info: info.value, settings: settings.value, initialized: setup.value.initialized, session: session.value, startupError: null });
  },

  call: async (method, input) => {
    const api = get().api;
    if (api === null) return { ok: false, error: { code: 'HOST_UNAVAILABLE', message: 'not connected' } };
    const invoke = api[method] as (i: MethodInput<typeof method>) => Promise<Result<MethodOutput<typeof method>>>;
    const result = await invoke(input);
    if (!result.ok && (result.error.code === 'SESSION_LOCKED' || result.error.code === 'UNAUTHENTICATED')) await get().refreshSession();
    return result;
  },

  setSession: (session) => set({ session, initialized: session.branch !== null }),

  refreshSession: async () => {
    const api = get().api;
    if (api === null) return;
    const session = await api['session.get']({});
    if (session.ok) set({ session: session.value, initialized: session.value.branch !== null });
  },

  setLocale: async (locale) => {
    const result = await get().call('settings.update', { locale });
    if (!result.ok) return result.error;
    await applyLocale(result.value.locale);
    set({ settings: result.value });
    return null;
  },
}));

/** The signed-in user (screens behind the login gate may assume one). */
export const useUser = () => useAppStore((s) => s.session?.user ?? null);
