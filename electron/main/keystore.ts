import { safeStorage } from 'electron';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { KEY_FILE, loadOrCreateKeyFile } from '../host/keyfile.ts';

/** The database key wrapped by the OS keystore (DPAPI, Keychain, libsecret/kwallet) via safeStorage. */
export const WRAPPED_KEY_FILE = 'greenledger.key.wrapped';

const isKeyHex = (text: string): boolean => /^[0-9a-f]{64}$/i.test(text);

/**
 * Whether safeStorage really protects the key. On Linux without a keyring Chromium falls back to the
 * 'basic_text' backend, which encrypts with a constant password: that is plaintext in disguise, so it
 * counts as unavailable.
 */
function osKeystoreAvailable(): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
}

/**
 * Returns the hex key of the store in dataDir; must run after app 'ready' (safeStorage needs it).
 *
 * The wrapped key lives beside the database it opens (dataDir is app.getPath('userData') unless
 * GREENLEDGER_DATA_DIR says otherwise), so a key and its store always travel together. Order:
 *  1. a wrapped key → unwrap it (a keystore that cannot unwrap it is an error, never a new key);
 *  2. a 0600 key file (made by browser mode, or by an earlier launch without a keystore) → keep using
 *     it: that is the key this store was created with, and browser mode still needs the file;
 *  3. nothing yet → 32 random bytes, wrapped with safeStorage, or — where no OS keystore exists —
 *     the browser-mode 0600 key file, with a warning instead of a silent plaintext fallback.
 */
export function loadOrCreateDatabaseKey(dataDir: string, log: (line: string) => void): string {
  const wrappedFile = join(dataDir, WRAPPED_KEY_FILE);
  if (existsSync(wrappedFile)) {
    if (!osKeystoreAvailable()) {
      throw new Error(
        `The database key in ${wrappedFile} is protected by the OS keystore, which is not available now ` +
          '(on Linux: log in to a desktop session with an unlocked keyring)',
      );
    }
    let keyHex: string;
    try {
      keyHex = safeStorage.decryptString(readFileSync(wrappedFile));
    } catch (error) {
      throw new Error(
        `Cannot unwrap the database key in ${wrappedFile} (was it made by another OS user or machine?): ` +
          (error instanceof Error ? error.message : String(error)),
      );
    }
    if (!isKeyHex(keyHex)) throw new Error(`The wrapped database key in ${wrappedFile} is damaged`);
    return keyHex;
  }

  if (existsSync(join(dataDir, KEY_FILE))) {
    log(`[keystore] warning: this store's key is the 0600 key file ${join(dataDir, KEY_FILE)}, not the OS keystore`);
    return loadOrCreateKeyFile(dataDir);
  }

  if (!osKeystoreAvailable()) {
    const backend = process.platform === 'linux' ? ` (backend: ${safeStorage.getSelectedStorageBackend()})` : '';
    log(`[keystore] warning: no OS keystore${backend}; the database key is kept in a 0600 key file in ${dataDir}`);
    return loadOrCreateKeyFile(dataDir);
  }

  const keyHex = randomBytes(32).toString('hex');
  const wrapped = safeStorage.encryptString(keyHex);
  // Prove the round trip before the key protects any data: a keystore that cannot give it back must fail now.
  if (safeStorage.decryptString(wrapped) !== keyHex) throw new Error('The OS keystore did not return the key it wrapped');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Written beside and renamed into place, so a crash never leaves a truncated key behind.
  const temporary = `${wrappedFile}.${process.pid}.tmp`;
  writeFileSync(temporary, wrapped, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, wrappedFile);
  log(`[keystore] created a database key wrapped by the OS keystore: ${wrappedFile}`);
  return keyHex;
}
