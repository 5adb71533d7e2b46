import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from './open.ts';
import { migrate } from './migrate.ts';
import { adoptAuditAnchor, appendAudit, auditAnchorReport, auditRowHash, verifyAuditChain, type AuditRow } from './audit.ts';
import { insertRecord, updateRecord } from './records.ts';
import { rewriteAuditRow } from './testing.ts';

const actor = { userId: 'u1', userName: '张三', branchId: 'b1' };
const now = new Date('2026-11-22T08:00:00Z');

function seeded(): Db {
  const db = openDatabase(':memory:');
  migrate(db);
  for (let i = 1; i <= 6; i += 1) {
    appendAudit(db, { at: now.toISOString(), userId: 'u1', userName: '张三', action: 'update', recordType: 'users', recordId: `r${i}`, before: { n: i - 1 }, after: { n: i } });
  }
  // Tampering needs raw SQL with the append-only triggers dropped, as an attacker with the key would do.
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  return db;
}

describe('audit chain', () => {
  let db: Db;
  beforeEach(() => {
    db = seeded();
  });

  it('hashes what SQLite stores, so a lone surrogate that slipped past the boundaries cannot break verify (H2)', () => {
    const fresh = openDatabase(':memory:');
    migrate(fresh);
    appendAudit(fresh, { at: now.toISOString(), userId: null, userName: '\ud800zz', action: 'login_failed', recordType: 'session', recordId: 'x\udfff', before: null, after: { name: '\ud83d' } });
    expect(verifyAuditChain(fresh)).toMatchObject({ ok: true, checked: 1, problems: [] });
    expect(fresh.prepare('SELECT user_name, record_id FROM audit_log').get()).toEqual({ user_name: '\ufffdzz', record_id: 'x\ufffd' });
  });

  it('verifies an untouched chain', () => {
    expect(verifyAuditChain(db)).toEqual({ ok: true, checked: 6, headSeq: 6, problems: [], anchor: null });
  });

  it('names an edited row', () => {
    db.prepare(`UPDATE audit_log SET after = '{"n":99}' WHERE seq = 3`).run();
    const result = verifyAuditChain(db);
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual(expect.objectContaining({ seq: 3, kind: 'edited' }));
  });

  it('names a removed row', () => {
    db.prepare('DELETE FROM audit_log WHERE seq = 4').run();
    expect(verifyAuditChain(db).problems[0]).toMatchObject({ seq: 4, kind: 'missing' });
  });

  it('names removed newest rows', () => {
    db.prepare('DELETE FROM audit_log WHERE seq >= 5').run();
    expect(verifyAuditChain(db).problems[0]).toMatchObject({ seq: 5, kind: 'truncated' });
  });

  it('names swapped rows as reordered, saying where each came from, not as edited', () => {
    db.exec(`UPDATE audit_log SET seq = -2 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 5; UPDATE audit_log SET seq = 5 WHERE seq = -2;`);
    const { ok, problems } = verifyAuditChain(db);
    expect(ok).toBe(false);
    expect(problems.filter((p) => p.kind === 'edited')).toEqual([]);
    expect(problems).toContainEqual({ seq: 2, kind: 'reordered', message: 'audit row 2 is row 5 moved out of its place (reordered)' });
    expect(problems).toContainEqual({ seq: 5, kind: 'reordered', message: 'audit row 5 is row 2 moved out of its place (reordered)' });
  });

  it('names a row moved to the end as reordered', () => {
    // Row 1 (genesis successor) rewritten as the newest row: its content still hashes at seq 1.
    db.exec('UPDATE audit_log SET seq = 7 WHERE seq = 1; UPDATE audit_head SET seq = 7, hash = (SELECT hash FROM audit_log WHERE seq = 7)');
    const { problems } = verifyAuditChain(db);
    expect(problems).toContainEqual(expect.objectContaining({ seq: 7, kind: 'reordered' }));
    expect(problems.filter((p) => p.kind === 'edited')).toEqual([]);
  });

  it('names the row after a replaced row: the replacement hashes correctly but the chain breaks there', () => {
    const row3 = db.prepare('SELECT * FROM audit_log WHERE seq = 3').get() as AuditRow;
    const forged = { ...row3, after: '{"n":99}' };
    db.prepare('UPDATE audit_log SET after = ?, hash = ? WHERE seq = 3').run(forged.after, auditRowHash(forged));
    expect(verifyAuditChain(db).problems).toEqual([{ seq: 4, kind: 'reordered', message: 'audit row 4 does not follow row 3 (reordered or predecessor replaced)' }]);
  });

  it('does not call an edited row reordered', () => {
    db.prepare(`UPDATE audit_log SET action = 'delete' WHERE seq = 4`).run();
    expect(verifyAuditChain(db).problems).toEqual([{ seq: 4, kind: 'edited', message: 'audit row 4 was changed after it was written' }]);
  });

  it('refuses UPDATE and DELETE while the triggers stand', () => {
    const fresh = openDatabase(':memory:');
    migrate(fresh);
    appendAudit(fresh, { at: now.toISOString(), userId: null, userName: null, action: 'setup', recordType: 'branch', recordId: null, before: null, after: null });
    expect(() => fresh.prepare(`UPDATE audit_log SET action = 'x'`).run()).toThrowError(/append-only/);
    expect(() => fresh.prepare('DELETE FROM audit_log').run()).toThrowError(/append-only/);
  });
});

describe('record write path', () => {
  it('writes the row and its audit entry together, with before and after of changed fields only', () => {
    const db = openDatabase(':memory:');
    migrate(db);
    const branch = insertRecord(db, 'branch', { name: '某县支行', code: '0001', division_code: '360222' }, actor, now);
    expect(branch).toMatchObject({ version: 1, branch_id: 'b1', created_by: 'u1' });
    const updated = updateRecord(db, 'branch', branch.id as string, { name: '浮梁县支行', code: '0001' }, actor, now, { expectedVersion: 1 });
    expect(updated.version).toBe(2);
    const rows = db.prepare('SELECT action, before, after FROM audit_log ORDER BY seq').all();
    expect(rows).toEqual([
      { action: 'insert', before: null, after: JSON.stringify({ name: '某县支行', code: '0001', division_code: '360222' }) },
      { action: 'update', before: JSON.stringify({ name: '某县支行' }), after: JSON.stringify({ name: '浮梁县支行' }) },
    ]);
    expect(() => updateRecord(db, 'branch', branch.id as string, { name: 'x' }, actor, now, { expectedVersion: 1 })).toThrowError(/version 2/);
    expect(() => updateRecord(db, 'branch', branch.id as string, { version: 9 }, actor, now)).toThrowError(/cannot be written/);
    expect(verifyAuditChain(db).ok).toBe(true);
  });

  it('never puts a password hash into the audit trail', () => {
    const db = openDatabase(':memory:');
    migrate(db);
    insertRecord(db, 'users', { username: 'li', display_name: '李四', role: 'admin', password_hash: 'scrypt$secret' }, actor, now);
    const text = JSON.stringify(db.prepare('SELECT * FROM audit_log').all());
    expect(text).not.toContain('scrypt$secret');
    expect(text).toContain('[redacted]');
  });
});

describe('audit anchors (the head head office acknowledged)', () => {
  const anchorAt = (db: Db, seq: number) => {
    const hash = db.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck().get(seq) as string;
    adoptAuditAnchor(db, { seq, hash, at: '2026-11-22T09:00:00.000Z' }, true);
  };

  it('finds a rewrite at or before the anchor even with every later hash and the head recomputed, naming the anchored seq', () => {
    const db = seeded();
    anchorAt(db, 4);
    expect(verifyAuditChain(db)).toMatchObject({ ok: true, anchor: { seq: 4 } });
    rewriteAuditRow(db, 2, { n: 99 });
    const result = verifyAuditChain(db);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([{ seq: 4, kind: 'anchor', message: expect.stringContaining('audit rows up to 4 were rewritten') }]);
    // Without the anchor the rewritten chain verifies: that is the attack the anchor answers.
    db.prepare('UPDATE sync_state SET audit_anchor_seq = NULL').run();
    expect(verifyAuditChain(db).ok).toBe(true);
  });

  it('finds the anchored row itself rewritten, and a chain cut below the anchor', () => {
    const db = seeded();
    anchorAt(db, 4);
    rewriteAuditRow(db, 4, { n: 44 });
    expect(verifyAuditChain(db).problems).toEqual([expect.objectContaining({ seq: 4, kind: 'anchor' })]);
    db.prepare('DELETE FROM audit_log WHERE seq >= 3').run();
    db.prepare('UPDATE audit_head SET seq = 2, hash = (SELECT hash FROM audit_log WHERE seq = 2)').run();
    expect(verifyAuditChain(db).problems).toContainEqual(expect.objectContaining({ seq: 4, kind: 'anchor', message: expect.stringContaining('is missing') }));
  });

  it('cannot see a rewrite after the anchor (the documented limit)', () => {
    const db = seeded();
    anchorAt(db, 3);
    rewriteAuditRow(db, 5, { n: 55 });
    expect(verifyAuditChain(db).ok).toBe(true);
  });

  it('reports the hash at the stored anchor for the hello, and keeps the old anchor once the chain no longer matches it', () => {
    const db = seeded();
    anchorAt(db, 4);
    expect(auditAnchorReport(db)).toMatchObject({ head: { seq: 6 }, atAnchor: { seq: 4, hash: seededHashAt(4) }, anchorIntact: true });
    rewriteAuditRow(db, 1, { n: 0.5 });
    const report = auditAnchorReport(db);
    expect(report.anchorIntact).toBe(false);
    expect(report.atAnchor?.hash).not.toBe(seededHashAt(4));
    adoptAuditAnchor(db, { ...report.head, at: '2026-11-22T10:00:00.000Z' }, report.anchorIntact);
    expect(verifyAuditChain(db)).toMatchObject({ ok: false, anchor: { seq: 4, hash: seededHashAt(4) } });
  });
});

/** The hash row `seq` has in the untouched seeded chain. */
function seededHashAt(seq: number): string {
  return seeded().prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck().get(seq) as string;
}
