import { describe, expect, it } from 'vitest';
import { databaseAt } from '../testing.ts';

describe('0010-blobs-at-hub', () => {
  it('records each file head office holds once', () => {
    const db = databaseAt('blobs-at-hub');
    db.prepare(`INSERT INTO blobs_at_hub VALUES ('${'a'.repeat(64)}', 't')`).run();
    expect(() => db.prepare(`INSERT INTO blobs_at_hub VALUES ('${'a'.repeat(64)}', 'u')`).run()).toThrowError(/UNIQUE|PRIMARY/);
  });
});
