import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openStore, type Store } from '../../electron/host/store.ts';
import type { Db } from '../../db/open.ts';

/** An encrypted store of the product in its own temp folder, removed when the bench process exits. */
export function benchStore(name: string): Store {
  const dir = mkdtempSync(join(tmpdir(), `greenledger-bench-${name}-`));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return openStore(dir, randomBytes(32).toString('hex'));
}

/**
 * Loads a register with a large page cache (many indexes of 100k+ rows), then optimizes and gives
 * the product's own cache back for measuring. Returns the seconds the load took.
 */
export function loadWithLargeCache(db: Db, load: () => void, now: () => number): number {
  const productCache = db.pragma('cache_size', { simple: true }) as number;
  db.pragma('cache_size = -1048576');
  const started = now();
  load();
  db.pragma('optimize');
  db.pragma(`cache_size = ${productCache}`);
  return (now() - started) / 1000;
}
