import type { Handlers } from '../context.ts';
import { appInfo } from './app.ts';
import { getSettings, updateSettings } from './settings.ts';

/** The handler for every contract method; the mapped type makes a missing one a compile error. */
export const handlers: Handlers = {
  'app.info': appInfo,
  'settings.get': getSettings,
  'settings.update': updateSettings,
};
