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

/**
 * Per-chunk samples of an import, which yields to the event loop between its 500-row chunks:
 * started just before the import, it notes the time and `countRows()` at every turn; `stop()` (once
 * the import is done) gives ms per 1,000 rows of each turn that wrote rows, and when rows first
 * appeared. A turn already queued when it stops does nothing (the store may be closed by then).
 */
export function chunkTimer(countRows: () => number, now: () => number): { stop: () => { samples: number[]; firstWriteAt: number | undefined } } {
  const marks: { at: number; rows: number }[] = [];
  let done = false;
  const watch = () => {
    if (done) return;
    marks.push({ at: now(), rows: countRows() });
    setImmediate(watch);
  };
  setImmediate(watch);
  return {
    stop: () => {
      done = true;
      marks.push({ at: now(), rows: countRows() });
      const samples: number[] = [];
      for (let i = 1; i < marks.length; i += 1) {
        const written = marks[i]!.rows - marks[i - 1]!.rows;
        if (written > 0) samples.push(((marks[i]!.at - marks[i - 1]!.at) / written) * 1_000);
      }
      return { samples, firstWriteAt: marks.find((m) => m.rows > 0)?.at };
    },
  };
}
