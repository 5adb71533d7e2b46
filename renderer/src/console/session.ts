import { create } from 'zustand';
import type { ConsoleUser } from '../../../shared/api/console.ts';
import type { Locale } from '../../../shared/api/index.ts';
import { i18next } from '../i18n/index.ts';
import { consoleCall, setCsrfToken, whenSignedOut } from './api.ts';

/**
 * Who is signed in to the console (GET /console/api/session at start, the sign-in's answer later)
 * and the chosen language. The session itself is the hub's (the gl_ho cookie); this holds only the
 * user shown and the CSRF token the API calls send.
 */
const LOCALE_KEY = 'greenledger.console.locale';

/** Where a person lands after signing in: an approver's work is the queue of escalated applications. */
export const homeOf = (user: { role: string }) => (user.role === 'ho_approver' ? '/approvals' : '/');

export const storedLocale = (): Locale => (localStorage.getItem(LOCALE_KEY) === 'en' ? 'en' : 'zh-CN');

interface ConsoleState {
  /** undefined: not known yet (the first GET session is on its way). */
  user: ConsoleUser | null | undefined;
  locale: Locale;
  load: () => Promise<void>;
  signedIn: (user: ConsoleUser, csrfToken: string) => void;
  signOut: () => Promise<void>;
  setLocale: (locale: Locale) => void;
}

export const useConsole = create<ConsoleState>((set) => ({
  user: undefined,
  locale: storedLocale(),
  load: async () => {
    const found = await consoleCall('session.get', {});
    setCsrfToken(found.ok ? found.value.csrfToken : null);
    set({ user: found.ok ? found.value.user : null });
  },
  signedIn: (user, csrfToken) => {
    setCsrfToken(csrfToken);
    set({ user });
  },
  signOut: async () => {
    await consoleCall('session.signOut', {});
    setCsrfToken(null);
    set({ user: null });
  },
  setLocale: (locale) => {
    localStorage.setItem(LOCALE_KEY, locale);
    void i18next.changeLanguage(locale);
    set({ locale });
  },
}));

whenSignedOut(() => {
  setCsrfToken(null);
  useConsole.setState({ user: null });
});
