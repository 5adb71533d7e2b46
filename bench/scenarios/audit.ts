/**
 * audit.mutations: what the audited write path costs per change. One mutation = one user edit in its
 * own transaction (synchronous=FULL, as the product commits), so both sides pay the same fsync:
 *  - audit.mutations.raw — the same UPDATE with its version bump, nothing else;
 *  - audit.mutations    — updateRecord (db/records.ts): the UPDATE plus the SHA-256-chained audit row
 *                         and the sync outbox entry with its HLC stamp, all in that transaction.
 * ratio_to_baseline of audit.mutations is therefore the chain's (and outbox's) price per edit.
 */
import { openDatabase, type Db } from '../../db/open.ts';
import { migrate } from '../../db/migrate.ts';
import { insertRecord, updateRecord, type Actor } from '../../db/records.ts';
import { verifyAuditChain } from '../../db/audit.ts';
import { measureEach, nowMs, warmUp, type BenchContext, type Measurement, type Scenario } from '../harness.ts';

const ENTERPRISES = 1_000;
const MUTATIONS = 2_000;
const WARMUP = 100;
const actor: Actor = { userId: 'bench-officer', userName: '基准测试', branchId: '01900000-0000-7000-8000-000000000001' };

function seededStore(ctx: BenchContext): { db: Db; ids: string[] } {
  const db = openDatabase(ctx.tempFile('audit.db'), { keyHex: ctx.newKeyHex() });
  migrate(db);
  db.prepare(`INSERT INTO device (singleton, client_id, created_at) VALUES (1, '01900000-0000-7000-8000-00000000000d', ?)`).run(new Date().toISOString());
  const now = new Date();
  const ids = db.transaction(() =>
    Array.from({ length: ENTERPRISES }, (_, i) =>
      String(
        insertRecord(
          db,
          'enterprises',
          {
            uscc: `9136022200000${String(i).padStart(4, '0')}X`,
            name: `浮梁县第${i}号建材有限公司`,
            name_initials: 'FLXDHJCYXGS',
            legal_representative: '张建国',
            address: '浮梁县工业园区',
            division_code: '360222',
            industry_code: 'C3012',
            scale: 'small',
            ownership: 'private',
          },
          actor,
          now,
        ).id,
      ),
    ),
  )();
  db.prepare('DELETE FROM outbox').run();
  return { db, ids };
}

function mutations(ctx: BenchContext, audited: boolean): Measurement {
  const { db, ids } = seededStore(ctx);
  const raw = db.prepare(`UPDATE enterprises SET address = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?`);
  const rawEdit = db.transaction((id: string, address: string) => raw.run(address, new Date().toISOString(), actor.userId, id));
  const edit = (i: number) => {
    const id = ids[Math.floor(ctx.random() * ids.length)]!;
    const address = `浮梁县工业园区 ${i} 号`;
    if (audited) updateRecord(db, 'enterprises', id, { address }, actor, new Date());
    else rawEdit(id, address);
  };
  warmUp(WARMUP, (i) => edit(-1 - i));
  const started = nowMs();
  const samples = measureEach(MUTATIONS, edit);
  const seconds = (nowMs() - started) / 1000;
  const extra: Record<string, number | string> = { unit: 'mutation', mutations: MUTATIONS, enterprises: ENTERPRISES };
  if (audited) {
    const verified = nowMs();
    const chain = verifyAuditChain(db);
    extra.audit_rows = chain.checked;
    extra.verify_ms = Math.round(nowMs() - verified);
    extra.outbox_rows = db.prepare('SELECT count(*) FROM outbox').pluck().get() as number;
    if (!chain.ok) throw new Error('audit chain broken in benchmark');
  }
  db.close();
  return {
    samples,
    perSecond: MUTATIONS / seconds,
    notes: `sample = 1 edit in its own txn (sync=FULL); ${audited ? 'updateRecord: UPDATE + chained audit row + outbox' : 'raw UPDATE + version bump'}`,
    extra,
  };
}

export const scenarios: Scenario[] = [
  { name: 'audit.mutations.raw', baseline: 'baseline.insert.encrypted', run: (ctx) => mutations(ctx, false) },
  { name: 'audit.mutations', baseline: 'audit.mutations.raw', run: (ctx) => mutations(ctx, true) },
];
