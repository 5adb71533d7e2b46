import { describe, expect, it } from 'vitest';
import { databaseAt, upgradedFrom } from '../testing.ts';

const stamp = `'b', 1, '2025-01-01T00:00:00.000Z', 'u', '2025-01-01T00:00:00.000Z', 'u'`;
const conventions = 'id, branch_id, version, created_at, created_by, updated_at, updated_by';
const insertTag = (values: string) =>
  `INSERT INTO green_tags (${conventions}, owner_type, owner_id, catalogue_version, catalogue_code, project_total_investment_fen, coal_saved_tce, status, prepared_by)
   VALUES ('t1', ${stamp}, ${values})`;
const insertProject = (values: string) =>
  `INSERT INTO green_factory_projects (${conventions}, enterprise_id, project_name, kind, amount_sought_fen, quarter, outcome)
   VALUES ('p1', ${stamp}, ${values})`;

describe('0017-green', () => {
  it('stores green tags with benefits as exact text, evidence as a JSON list, and the coded values checked', () => {
    const db = databaseAt('green');
    db.exec(insertTag(`'loan', 'l1', '2021', '1.1.1.1', 5000000000, '1200.5', 'draft', 'u'`));
    expect(db.prepare('SELECT coal_saved_tce, evidence_attachment_ids, status FROM green_tags').get()).toEqual({ coal_saved_tce: '1200.5', evidence_attachment_ids: '[]', status: 'draft' });
    db.exec('DELETE FROM green_tags');
    expect(() => db.exec(insertTag(`'loan', 'l1', '2015', '1', NULL, NULL, 'draft', 'u'`))).toThrow(/CHECK constraint failed/);
    expect(() => db.exec(insertTag(`'enterprise', 'l1', '2025', '1', NULL, NULL, 'draft', 'u'`))).toThrow(/CHECK constraint failed/);
    expect(() => db.exec(insertTag(`'loan', 'l1', '2025', '1', 0, NULL, 'draft', 'u'`))).toThrow(/CHECK constraint failed/);
    expect(() => db.exec(insertTag(`'loan', 'l1', '2025', '1', NULL, NULL, 'green', 'u'`))).toThrow(/CHECK constraint failed/);
  });

  it('stores green-factory projects with the quarter, kind and outcome checked, and their contacts', () => {
    const db = databaseAt('green');
    db.exec(insertProject(`'e1', '零碳工厂改造', 'zero_carbon_factory', 300000000, '2026Q4', 'need'`));
    db.exec(`INSERT INTO green_factory_contacts (${conventions}, project_id, contacted_on, note, outcome) VALUES ('c1', ${stamp}, 'p1', '2026-11-03', '上门了解需求', 'matching')`);
    expect(db.prepare('SELECT count(*) FROM green_factory_contacts').pluck().get()).toBe(1);
    db.exec('DELETE FROM green_factory_projects');
    expect(() => db.exec(insertProject(`'e1', 'x', 'zero_carbon_factory', 1, '2026Q5', 'need'`))).toThrow(/CHECK constraint failed/);
    expect(() => db.exec(insertProject(`'e1', 'x', 'zero_carbon_factory', 1, '2026-Q4', 'need'`))).toThrow(/CHECK constraint failed/);
    expect(() => db.exec(insertProject(`'e1', 'x', 'solar', 1, '2026Q4', 'need'`))).toThrow(/CHECK constraint failed/);
    expect(() => db.exec(insertProject(`'e1', 'x', 'technical_upgrade', 0, '2026Q4', 'need'`))).toThrow(/CHECK constraint failed/);
    expect(() => db.exec(insertProject(`'e1', 'x', 'technical_upgrade', 1, '2026Q4', '已授信'`))).toThrow(/CHECK constraint failed/);
  });

  it('upgrades a laptop holding loans: they stay, none is tagged yet', () => {
    const { db, cleanup } = upgradedFrom('green', (before) => {
      before.exec(`INSERT INTO loans (${conventions}, loan_number, enterprise_id, amount_fen, balance_fen, balance_as_of, disbursed_on, matures_on, rate_bp, classification, guarantee_mode, status)
        VALUES ('l1', ${stamp}, 'JK0001', 'e1', 100, 100, '2025-06-30', '2025-01-01', '2026-01-01', 435, 'normal', 'credit', 'outstanding')`);
    });
    try {
      expect(db.prepare('SELECT loan_number FROM loans').pluck().all()).toEqual(['JK0001']);
      expect(db.prepare('SELECT count(*) FROM green_tags').pluck().get()).toBe(0);
    } finally {
      cleanup();
    }
  });
});
