import { describe, expect, it } from 'vitest';
import { openDatabase } from '../open.ts';
import { loadMigrations, migrate } from '../migrate.ts';

describe('0007-sync-versions', () => {
  it('keeps one pulled version per row', () => {
    const db = openDatabase(':memory:');
    const all = loadMigrations();
    migrate(db, all.slice(0, all.findIndex((m) => m.name === 'sync-versions') + 1));
    db.prepare(`INSERT INTO sync_versions VALUES ('enterprises', 'r1', 3)`).run();
    expect(() => db.prepare(`INSERT INTO sync_versions VALUES ('enterprises', 'r1', 4)`).run()).toThrowError(/UNIQUE|PRIMARY/);
  });
});
