import { headOfficeRoleLabels } from '../../../shared/domain/headOfficeRoles.ts';
import { i18next } from '../i18n/index.ts';
import type { ConsoleError } from './api.ts';
import { useConsole } from './session.ts';

/** A refusal of the console API in words (the page's own refusals are worded by the page). */
export function describeConsoleError(error: ConsoleError): string {
  const t = i18next.t.bind(i18next);
  if (error.code === 'NETWORK') return t('errors.network');
  if (error.code === 'UNAUTHENTICATED') return t('errors.signedOut');
  if (error.code === 'FORBIDDEN' && error.details?.reason === 'CSRF') return t('errors.csrf');
  if (error.code === 'FORBIDDEN') {
    const role = useConsole.getState().user?.role;
    return t('errors.forbidden', { role: role === undefined ? '' : t(`roles.${role}`, { defaultValue: headOfficeRoleLabels[role].zh }) });
  }
  return t('errors.unexpected', { code: error.code });
}
