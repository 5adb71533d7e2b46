import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KEY_FILE, loadOrCreateKeyFile } from './keyfile.ts';

describe('browser mode key file', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), 'gl-keyfile-'));
    dirs.push(dir);
    return join(dir, 'data');
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('creates 32 random bytes in a 0600 file inside a 0700 folder, and reads the same key back', () => {
    const dataDir = fresh();
    const key = loadOrCreateKeyFile(dataDir);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dataDir, KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(loadOrCreateKeyFile(dataDir)).toBe(key);
    expect(loadOrCreateKeyFile(fresh())).not.toBe(key);
  });

  it.each(['640', '604', '644', '660'])('refuses a key file with mode %s, naming the chmod that fixes it', (octal) => {
    const mode = parseInt(octal, 8);
    const dataDir = fresh();
    loadOrCreateKeyFile(dataDir);
    const file = join(dataDir, KEY_FILE);
    chmodSync(file, mode);
    expect(() => loadOrCreateKeyFile(dataDir)).toThrowError(`Key file ${file} is readable by other users; run: chmod 600 "${file}"`);
    chmodSync(file, 0o600);
    expect(loadOrCreateKeyFile(dataDir)).toBe(readFileSync(file, 'utf8').trim());
  });

  it('refuses a damaged key file instead of making a new key (which would lose the database)', () => {
    const dataDir = fresh();
    loadOrCreateKeyFile(dataDir);
    writeFileSync(join(dataDir, KEY_FILE), 'not a key\n', { mode: 0o600 });
    expect(() => loadOrCreateKeyFile(dataDir)).toThrowError(/is damaged/);
  });
});
