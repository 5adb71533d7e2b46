import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_DIR_NAME = 'GreenLedger';

/**
 * The per-user application-data folder, the same one Electron's app.getPath('userData') gives for
 * productName GreenLedger, so desktop and browser mode share one store. GREENLEDGER_DATA_DIR wins.
 */
export function resolveDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.GREENLEDGER_DATA_DIR) return env.GREENLEDGER_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_DIR_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_DIR_NAME);
}

export const DATABASE_FILE = 'greenledger.db';
