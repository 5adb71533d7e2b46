import { describe, expect, it } from 'vitest';
import { databaseAt } from '../testing.ts';

describe('0013-audit-anchor', () => {
  it('starts with no anchor', () => {
    const db = databaseAt('audit-anchor');
    expect(db.prepare('SELECT audit_anchor_seq, audit_anchor_hash, audit_anchor_at FROM sync_state').get()).toEqual({ audit_anchor_seq: null, audit_anchor_hash: null, audit_anchor_at: null });
  });
});
