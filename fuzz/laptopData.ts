import type { Change, RowSnapshot } from '../shared/sync/protocol.ts';
import { syncTableNames } from '../shared/sync/tables.ts';
import { sampleEnterpriseFile, testUscc } from '../shared/domain/testing.ts';
import { outboxPage } from '../db/outbox.ts';
import { hostWithUsers } from '../electron/host/testing.ts';

/**
 * What a real laptop sends and receives, made by the app's own code: enterprise files with ratings,
 * financials and indicators written through the host's handlers, their outbox as push changes and
 * their rows as pull snapshots. Valid-shaped hub and pull inputs start from these.
 */
export interface LaptopData {
  changes: Change[];
  snapshots: RowSnapshot[];
  /** Every column value seen, by column name (examples for generated row data). */
  columns: Map<string, unknown[]>;
}

export async function laptopData(files = 3): Promise<LaptopData> {
  const host = await hostWithUsers();
  try {
    const officer = host.sessions.officer;
    for (let i = 0; i < files; i += 1) {
      const created = await host.dispatch('enterprises.create', { file: sampleEnterpriseFile(`景德镇市样本${i}号陶瓷有限公司`, testUscc(700 + i)) }, officer);
      if (!created.ok) throw new Error(`sample file: ${JSON.stringify(created.error)}`);
      const enterpriseId = (created.value as { id: string }).id;
      await host.dispatch('enterprises.addRating', { enterpriseId, entry: { level: 'blue', bureau: '景德镇市生态环境局', ratedOn: '2025-06-30' } }, officer);
      await host.dispatch('enterprises.saveFinancials', { enterpriseId, snapshot: { year: 2025, revenue: 1_234_500, totalAssets: 5_000_000, liabilities: 2_000_000, profit: -1_200 } }, officer);
      await host.dispatch('enterprises.saveIndicators', { enterpriseId, indicators: { year: 2025, energyTce: '12.5', waterM3: '300', codT: null, nh3nT: null, so2T: '0.0125', noxT: null, co2T: '1000' } }, officer);
    }
    const db = host.store.db;
    // The outbox rows as the wire carries them (electron/host/sync/engine.ts sends the same fields).
    const changes: Change[] = outboxPage(db, 2000).map(({ op_id: opId, table_name: table, row_id: rowId, op, fields, prev, base_version: baseVersion, hlc, user_id: userId, at }) => ({
      opId,
      table,
      rowId,
      op,
      fields: JSON.parse(fields) as Change['fields'],
      prev: JSON.parse(prev) as Change['prev'],
      baseVersion,
      hlc,
      userId,
      at,
    }));
    const snapshots: RowSnapshot[] = [];
    const columns = new Map<string, unknown[]>();
    let seq = 0;
    for (const table of syncTableNames) {
      for (const row of db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]) {
        seq += 1;
        snapshots.push({ seq, table, rowId: String(row.id), version: Number(row.version ?? 1), deleted: row.deleted_at !== null && row.deleted_at !== undefined, data: row as RowSnapshot['data'] });
        for (const [column, value] of Object.entries(row)) columns.set(column, [...(columns.get(column) ?? []), value].slice(0, 8));
      }
    }
    return { changes, snapshots, columns };
  } finally {
    host.cleanup();
  }
}
