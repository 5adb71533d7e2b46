import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export const KEY_FILE = 'greenledger.key';

/**
 * Browser mode's key store: 32 random bytes in a file only this OS user can read (0600). Desktop mode
 * wraps the same bytes with the OS keystore instead (electron/main/keystore.ts). A key file readable
 * by others is refused, the way ssh refuses a loose private key.
 */
export function loadOrCreateKeyFile(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, KEY_FILE);
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  }
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
    throw new Error(`Key file ${file} is readable by other users; run: chmod 600 "${file}"`);
  }
  const keyHex = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/i.test(keyHex)) throw new Error(`Key file ${file} is damaged (expected 64 hex characters)`);
  return keyHex;
}
