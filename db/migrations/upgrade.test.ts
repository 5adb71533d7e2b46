import { describe, expect, it } from 'vitest';
import type { Db } from '../open.ts';
import { upgradedFrom } from '../testing.ts';
import { listEnterprises } from '../enterprises.ts';

/**
 * Each migration that changes indexes, triggers or constraints, applied to a database of the
 * previous version that already holds rows (the empty-database tests sit beside each migration).
 */
const enterpriseColumns =
  'id, branch_id, created_at, created_by, updated_at, updated_by, uscc, name, name_initials, legal_representative, address, division_code, industry_code, scale, ownership';

function fileEnterprise(db: Db, id: string, uscc: string, name: string, initials: string, updatedAt = '2025-01-01T00:00:00Z'): void {
  db.prepare(
    `INSERT INTO enterprises (${enterpriseColumns}) VALUES (?, 'b', '2025-01-01T00:00:00Z', 'u', ?, 'u', ?, ?, ?, '张三', '浮梁县', '360222', 'C3012', 'small', 'private')`,
  ).run(id, updatedAt, uscc, name, initials);
}

const found = (db: Db, query: string) => listEnterprises(db, { query }, { field: 'updatedAt', order: 'desc' }, 0, 100).rows.map((row) => row.id);

describe('migrations on a populated database of the previous version', () => {
  it('0006-enterprise-indexes: files filed before it are found by 2-character fragments and initials, and stay in step', () => {
    const { db, cleanup } = upgradedFrom('enterprise-indexes', (old) => {
      fileEnterprise(old, 'e1', '91360222A00000001X', '华盛建材有限公司', 'HSJCYXGS', '2025-01-02T00:00:00Z');
      fileEnterprise(old, 'e2', '91360281A00000002X', '景德镇华盛陶瓷有限公司', 'JDZHSTCYXGS');
    });
    try {
      expect(found(db, '华盛')).toEqual(['e1', 'e2']);
      expect(found(db, 'HSJC')).toEqual(['e1']);
      expect(found(db, '9136')).toEqual(['e1', 'e2']);
      db.prepare(`UPDATE enterprises SET name = '浮梁新材有限公司', name_initials = 'FLXCYXGS' WHERE id = 'e1'`).run();
      expect(found(db, '华盛')).toEqual(['e2']);
      expect(found(db, '新材')).toEqual(['e1']);
    } finally {
      cleanup();
    }
  });

  it('0008-bigram-function: bigrams indexed by the old triggers are still found, and replaced on rename', () => {
    const { db, cleanup } = upgradedFrom('bigram-function', (old) => {
      fileEnterprise(old, 'e1', '91360222A00000001X', '华盛建材有限公司', 'HSJCYXGS');
    });
    try {
      expect(found(db, '盛建')).toEqual(['e1']);
      db.prepare(`UPDATE enterprises SET name = '景德镇陶瓷有限公司', name_initials = 'JDZTCYXGS' WHERE id = 'e1'`).run();
      expect(found(db, '盛建')).toEqual([]);
      expect(found(db, '陶瓷')).toEqual(['e1']);
      expect(found(db, 'JDZ')).toEqual(['e1']);
      expect(db.prepare("INSERT INTO enterprises_grams (enterprises_grams) VALUES ('integrity-check')").run().changes).toBe(1);
    } finally {
      cleanup();
    }
  });

  it('0009-uscc-duplicates: existing files keep their codes, and a second file with one of them can arrive', () => {
    const { db, cleanup } = upgradedFrom('uscc-duplicates', (old) => {
      fileEnterprise(old, 'e1', '91360222MA35L0KX1F', '华盛建材有限公司', 'HSJCYXGS');
      expect(() => fileEnterprise(old, 'e2', '91360222MA35L0KX1F', '华盛建材（另一台笔记本）', 'HSJC')).toThrow(/UNIQUE/);
    });
    try {
      fileEnterprise(db, 'e2', '91360222MA35L0KX1F', '华盛建材（另一台笔记本）', 'HSJC');
      expect(found(db, '91360222MA35L0KX1F').sort()).toEqual(['e1', 'e2']);
    } finally {
      cleanup();
    }
  });

  it('0011-year-duplicates: existing year rows stay, are found by enterprise and year, and a second row of a year can arrive', () => {
    const { db, cleanup } = upgradedFrom('year-duplicates', (old) => {
      fileEnterprise(old, 'e1', '91360222MA35L0KX1F', '华盛建材有限公司', 'HSJCYXGS');
      old.prepare(`INSERT INTO enterprise_financials (id, branch_id, created_at, created_by, updated_at, updated_by, enterprise_id, year, revenue_fen) VALUES ('f1', 'b', 't', 'u', 't', 'u', 'e1', 2024, 100)`).run();
      old.prepare(`INSERT INTO enterprise_indicators (id, branch_id, created_at, created_by, updated_at, updated_by, enterprise_id, year) VALUES ('i1', 'b', 't', 'u', 't', 'u', 'e1', 2024)`).run();
      expect(() => old.prepare(`INSERT INTO enterprise_financials (id, branch_id, created_at, created_by, updated_at, updated_by, enterprise_id, year, revenue_fen) VALUES ('f2', 'b', 't', 'u', 't', 'u', 'e1', 2024, 200)`).run()).toThrow(/UNIQUE/);
    });
    try {
      db.prepare(`INSERT INTO enterprise_financials (id, branch_id, created_at, created_by, updated_at, updated_by, enterprise_id, year, revenue_fen) VALUES ('f2', 'b', 't', 'u', 't', 'u', 'e1', 2024, 200)`).run();
      db.prepare(`INSERT INTO enterprise_indicators (id, branch_id, created_at, created_by, updated_at, updated_by, enterprise_id, year) VALUES ('i2', 'b', 't', 'u', 't', 'u', 'e1', 2024)`).run();
      expect(db.prepare('SELECT id, revenue_fen FROM enterprise_financials WHERE enterprise_id = ? AND year = 2024 AND deleted_at IS NULL ORDER BY id').all('e1')).toEqual([
        { id: 'f1', revenue_fen: 100 },
        { id: 'f2', revenue_fen: 200 },
      ]);
      expect(db.prepare('SELECT count(*) FROM enterprise_indicators WHERE enterprise_id = ? AND year = 2024').pluck().get('e1')).toBe(2);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      cleanup();
    }
  });

  it('0013-audit-anchor: an enrolled laptop keeps its enrolment and checkpoint, with no anchor until its next sync', () => {
    const { db, cleanup } = upgradedFrom('audit-anchor', (old) => {
      old.prepare(`UPDATE sync_state SET hub_url = 'http://127.0.0.1:8443', device_id = 'd1', device_token = 'secret', checkpoint = 42 WHERE singleton = 1`).run();
    });
    try {
      expect(db.prepare('SELECT hub_url, device_id, device_token, checkpoint, audit_anchor_seq, audit_anchor_hash, audit_anchor_at FROM sync_state').get()).toEqual({
        hub_url: 'http://127.0.0.1:8443', device_id: 'd1', device_token: 'secret', checkpoint: 42, audit_anchor_seq: null, audit_anchor_hash: null, audit_anchor_at: null,
      });
    } finally {
      cleanup();
    }
  });
});
