import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** A fresh directory and key per test: tests use real database files, never shared state. */
export function tempStoreDir(): { dir: string; file: string; keyHex: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'greenledger-test-'));
  return {
    dir,
    file: join(dir, 'greenledger.db'),
    keyHex: randomBytes(32).toString('hex'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
