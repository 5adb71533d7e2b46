import { describe, expect, it } from 'vitest';
import { databaseAt } from '../testing.ts';

describe('0007-sync-versions', () => {
  it('keeps one pulled version per row', () => {
    const db = databaseAt('sync-versions');
    db.prepare(`INSERT INTO sync_versions VALUES ('enterprises', 'r1', 3)`).run();
    expect(() => db.prepare(`INSERT INTO sync_versions VALUES ('enterprises', 'r1', 4)`).run()).toThrowError(/UNIQUE|PRIMARY/);
  });
});
