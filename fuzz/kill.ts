import { importFieldLabels } from '../shared/api/index.ts';
import { sampleEnterpriseFile, seededRandom, testUscc } from '../shared/domain/testing.ts';
import { answered, resultOf } from './http.ts';
import { alive, checkDatabase, killHostProcess, openDataDir, Session, setUpBranch, signIn, stopHostProcess, withScratchHost } from './hostProcess.ts';
import { shorten } from './report.ts';

/**
 * The kill harness: a real browser-mode host process takes bursts of writes and imports over HTTP
 * and is SIGKILLed at a random moment of each burst, then restarted on the same data folder. After
 * every kill the database file is checked directly: PRAGMA integrity_check, the audit chain, and
 * that every write the host answered ok is there (a write answered ok was committed: the answer is
 * sent after the transaction). A write cut off without an answer may or may not be there.
 */
export interface KillOptions {
  kills: number;
  seed: number;
  /** Writers sending at once during a burst. */
  writers: number;
  /** The kill comes this many ms (at most) into a burst, at a random moment. */
  maxBurstMs: number;
  timeoutMs: number;
  log: (line: string) => void;
}

export interface KillReport {
  seed: number;
  kills: number;
  /** Writes answered ok before a kill, by kind. */
  acknowledged: Record<string, number>;
  /** Writes cut off by a kill (no answer): allowed either way. */
  unanswered: number;
  /** Acknowledged writes missing after a restart. Must be 0. */
  lostWrites: number;
  integrityFailures: number;
  auditFailures: number;
  /** Restarts that failed (the host would not open its database again). */
  restartFailures: number;
  /** Answers other than ok during bursts (5xx would be a defect; refusals are counted, not failed). */
  errors: Record<string, number>;
  ms: number;
  examples: string[];
}

type Acked =
  | { kind: 'create'; id: string }
  | { kind: 'update'; id: string; version: number; name: string }
  | { kind: 'rating'; enterpriseId: string; ratedOn: string }
  | { kind: 'import'; uscc: string };

const importMapping = { name: importFieldLabels.name, uscc: importFieldLabels.uscc, legalRepresentative: importFieldLabels.legalRepresentative, address: importFieldLabels.address, divisionCode: importFieldLabels.divisionCode, industryCode: importFieldLabels.industryCode, scale: importFieldLabels.scale, ownership: importFieldLabels.ownership };

function importCsv(usccs: string[]): string {
  const header = Object.values(importMapping).join(',');
  const rows = usccs.map((uscc, i) => `景德镇市导入${uscc.slice(-6)}号企业${i},${uscc},张建国,江西省景德镇市浮梁县,360222,C3012,小型,私人控股`);
  return Buffer.from(`${header}\r\n${rows.join('\r\n')}\r\n`, 'utf8').toString('base64');
}

/** Every acknowledged write, looked up in the database file itself. */
function missingWrites(dataDir: string, acked: Acked[]): { missing: string[]; integrity: ReturnType<typeof checkDatabase> } {
  const db = openDataDir(dataDir);
  try {
    const integrity = checkDatabase(db);
    const enterprise = db.prepare('SELECT version, name FROM enterprises WHERE id = ?');
    const byUscc = db.prepare('SELECT 1 FROM enterprises WHERE uscc = ?');
    const rating = db.prepare('SELECT 1 FROM enterprise_ratings WHERE enterprise_id = ? AND rated_on = ?');
    const missing: string[] = [];
    for (const write of acked) {
      if (write.kind === 'create' && enterprise.get(write.id) === undefined) missing.push(`created ${write.id}`);
      if (write.kind === 'update') {
        const row = enterprise.get(write.id) as { version: number; name: string } | undefined;
        // A later update of the same row (answered or cut off) may have moved it on, never back.
        if (row === undefined || row.version < write.version || (row.version === write.version && row.name !== write.name)) missing.push(`update ${write.id} v${write.version}`);
      }
      if (write.kind === 'rating' && rating.get(write.enterpriseId, write.ratedOn) === undefined) missing.push(`rating ${write.enterpriseId} ${write.ratedOn}`);
      if (write.kind === 'import' && byUscc.get(write.uscc) === undefined) missing.push(`imported ${write.uscc}`);
    }
    return { missing, integrity };
  } finally {
    db.close();
  }
}

export async function killHarness(options: KillOptions): Promise<KillReport> {
  const report: KillReport = { seed: options.seed, kills: 0, acknowledged: {}, unanswered: 0, lostWrites: 0, integrityFailures: 0, auditFailures: 0, restartFailures: 0, errors: {}, ms: 0, examples: [] };
  const started = performance.now();
  const random = seededRandom(options.seed);
  const note = (line: string) => report.examples.length < 20 && report.examples.push(shorten(line, 600));
  await withScratchHost('fuzz-kill-', async ({ dataDir, current, restart }) => {
    const officer = (await setUpBranch(current, ['officer'])).officer;
    const acked: Acked[] = [];
    /** Rows each writer owns for its updates: one writer per row, so versions only grow. */
    const owned: { id: string; version: number }[][] = Array.from({ length: options.writers }, () => []);
    let serial = 10_000;
    let ratingDay = 0;

    const write = async (session: Session, writer: number, stop: () => boolean) => {
      while (!stop()) {
        const pick = random();
        const mine = owned[writer]!;
        let method: string;
        let input: unknown;
        let onOk: (value: unknown) => void;
        if (pick < 0.4 || mine.length === 0) {
          const uscc = testUscc((serial += 1));
          method = 'enterprises.create';
          input = { file: sampleEnterpriseFile(`浮梁县断电测试${serial}号有限公司`, uscc) };
          onOk = (value) => {
            const { id, version } = value as { id: string; version: number };
            acked.push({ kind: 'create', id });
            mine.push({ id, version });
          };
        } else if (pick < 0.65) {
          const row = mine[Math.floor(random() * mine.length)]!;
          const name = `浮梁县断电测试改名${(serial += 1)}号有限公司`;
          method = 'enterprises.update';
          input = { id: row.id, version: row.version, file: sampleEnterpriseFile(name, testUscc(serial)) };
          onOk = (value) => {
            row.version = (value as { version: number }).version;
            acked.push({ kind: 'update', id: row.id, version: row.version, name });
          };
        } else if (pick < 0.8) {
          const row = mine[Math.floor(random() * mine.length)]!;
          ratingDay += 1;
          const ratedOn = new Date(Date.UTC(2000, 0, 1) + ratingDay * 86_400_000).toISOString().slice(0, 10);
          method = 'enterprises.addRating';
          input = { enterpriseId: row.id, entry: { level: 'blue', bureau: '景德镇市生态环境局', ratedOn } };
          onOk = (value) => {
            row.version = (value as { version: number }).version;
            acked.push({ kind: 'rating', enterpriseId: row.id, ratedOn });
          };
        } else {
          const usccs = Array.from({ length: 1 + Math.floor(random() * 20) }, () => testUscc((serial += 1)));
          method = 'enterprises.importRun';
          input = { fileName: '断电导入.csv', contentBase64: importCsv(usccs), mapping: importMapping, defaults: {} };
          onOk = (value) => {
            if ((value as { imported: number }).imported !== usccs.length) note(`import answered ok with ${JSON.stringify(value).slice(0, 200)}`);
            for (const uscc of usccs) acked.push({ kind: 'import', uscc });
          };
        }
        const answer = await session.call(method, JSON.stringify(input), options.timeoutMs);
        if (!answered(answer)) {
          report.unanswered += 1;
          return; // the host is gone (or hung: the kill follows)
        }
        const result = resultOf(answer);
        if (result?.ok === true) {
          onOk(result.value);
          report.acknowledged[method] = (report.acknowledged[method] ?? 0) + 1;
        } else {
          const code = result?.error?.code ?? `http ${answer.status}`;
          report.errors[code] = (report.errors[code] ?? 0) + 1;
          if (answer.status >= 500) note(`${method}: ${answer.status} ${answer.body.toString('utf8')}`);
          // A row whose version we lost track of (an update cut off earlier, then committed): drop it.
          const stale = code === 'CONFLICT' ? mine.findIndex((row) => row.id === (input as { id?: string; enterpriseId?: string }).id) : -1;
          if (stale >= 0) mine.splice(stale, 1);
        }
      }
    };

    const totalAnswers = () => Object.values(report.acknowledged).reduce((a, b) => a + b, 0) + Object.values(report.errors).reduce((a, b) => a + b, 0);
    for (let kill = 1; kill <= options.kills; kill += 1) {
      if (kill > 1) {
        try {
          await restart();
          await signIn(officer, 'officer');
        } catch (error) {
          report.restartFailures += 1;
          note(`restart ${kill}: ${error instanceof Error ? error.message : String(error)}`);
          break;
        }
      }
      // Writers share the officer's session, as one window's calls would.
      let killed = false;
      const burst = Promise.all(Array.from({ length: options.writers }, (_, writer) => write(officer, writer, () => killed)));
      // The kill falls at a random moment once the burst is under way (its first answer is in), so
      // every kill has acknowledged writes to lose and writes in flight to cut.
      const answeredBefore = totalAnswers();
      const underWay = performance.now();
      while (totalAnswers() === answeredBefore && performance.now() - underWay < options.timeoutMs) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setTimeout(resolve, random() * options.maxBurstMs));
      await killHostProcess(current());
      killed = true;
      report.kills += 1;
      await burst;
      const { missing, integrity } = missingWrites(dataDir, acked);
      report.lostWrites += missing.length;
      if (missing.length > 0) note(`after kill ${kill}: missing ${missing.slice(0, 5).join(', ')}`);
      if (!integrity.integrityOk) {
        report.integrityFailures += 1;
        note(`after kill ${kill}: integrity ${integrity.integrity}`);
      }
      if (!integrity.auditOk) {
        report.auditFailures += 1;
        note(`after kill ${kill}: audit ${integrity.auditProblems.join('; ')}`);
      }
      if (kill % 20 === 0) options.log(`[fuzz kill] ${kill} kills, ${acked.length} acknowledged writes, ${report.lostWrites} lost`);
    }
    // The host must still start and serve on what the kills left.
    if (!alive(current())) await restart();
    await signIn(officer, 'officer');
    await stopHostProcess(current());
  });
  report.ms = Math.round(performance.now() - started);
  return report;
}

export const killClean = (report: KillReport) =>
  report.lostWrites === 0 && report.integrityFailures === 0 && report.auditFailures === 0 && report.restartFailures === 0 && Object.keys(report.errors).every((code) => code !== 'INTERNAL' && !code.startsWith('http 5'));
