import fc from 'fast-check';
import { contract, type MethodName } from '../shared/api/index.ts';
import { sampleEnterpriseFile, testUscc } from '../shared/domain/testing.ts';
import { TOKEN_HEADER } from '../electron/host/web/server.ts';
import { domainExamples, wireBodies, type WireBody } from './arbitraries.ts';
import { answered, resultOf, send, type NoAnswer, type Sent } from './http.ts';
import { alive, checkDatabase, openDataDir, Session, setUpBranch, signIn, stopHostProcess, withScratchHost, type RoleName } from './hostProcess.ts';
import { bump, failure, newReport, type BoundaryReport } from './report.ts';

/**
 * Boundary 1: every host API method, over real HTTP to a real browser-mode host process, as each
 * role and signed out. The method list and each input's shape come from shared/api's contract, so a
 * method added there is fuzzed with no change here.
 */
export interface RunOptions {
  inputs: number;
  seed: number;
  /** Per-call timeout: no answer by then counts as a hang. */
  timeoutMs: number;
  concurrency: number;
  log: (line: string) => void;
}

type Caller = RoleName | 'signed-out';
/** How the request travels: as the renderer sends it, or bent the ways an attacker on the same computer would. */
type Transport = 'renderer' | 'no-token' | 'encoded-path' | 'text-plain' | 'foreign-origin';

interface HostInput {
  method: string;
  caller: Caller;
  transport: Transport;
  body: WireBody;
}

const callers: Caller[] = ['admin', 'officer', 'manager', 'head', 'signed-out'];

function inputs(methods: string[], examples: Map<string, readonly unknown[]>): fc.Arbitrary<HostInput> {
  const bodies = new Map(methods.map((method) => [method, wireBodies(contract[method as MethodName]?.input ?? contract['app.info'].input, examples)]));
  return fc.record({
    method: fc.constantFrom(...methods),
    caller: fc.constantFrom(...callers),
    transport: fc.oneof({ weight: 16, arbitrary: fc.constant<Transport>('renderer') }, { weight: 1, arbitrary: fc.constantFrom<Transport>('no-token', 'encoded-path', 'text-plain', 'foreign-origin') }),
  }).chain((picked) => bodies.get(picked.method)!.map((body) => ({ ...picked, body })));
}

/** Percent-encodes one letter of the path, as H1 did (`/%61pi/…`). */
const encodedPath = (method: string) => `/%61pi/${method}`;

export async function fuzzHostApi(options: RunOptions): Promise<BoundaryReport> {
  const report = newReport('host-api', options.seed);
  const started = performance.now();
  await withScratchHost('fuzz-host-', async ({ dataDir, current, restart: startAgain }) => {
    const sessions: Record<Caller, Session> = { ...(await setUpBranch(current)), 'signed-out': new Session(current) };

    // Real records for valid-shaped ids to land on: enterprise files, and one account the fuzz may
    // disable or reset (never the role accounts it signs in with).
    const examples = domainExamples();
    const enterpriseIds: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const created = await sessions.officer.must<{ id: string }>('enterprises.create', { file: sampleEnterpriseFile(`浮梁县样本企业${i}号有限公司`, testUscc(900 + i)) });
      enterpriseIds.push(created.id);
    }
    const victim = await sessions.admin.must<{ id: string }>('users.create', { username: 'victim', displayName: '测试', role: 'loan_officer', password: 'Victim2026pw' });
    const ids = [...enterpriseIds, victim.id];
    for (const key of ['id', 'enterpriseId', 'ownerId', 'recordId']) examples.set(key, ids);
    examples.set('version', [1, 2, 3]);

    const methods = Object.keys(contract);
    const arbitrary = inputs(methods, examples);
    const relogins = new Map<Caller, Promise<void>>();
    const relogin = (caller: Caller) => {
      if (caller === 'signed-out') return Promise.resolve();
      const pending = relogins.get(caller) ?? signIn(sessions[caller], caller).finally(() => relogins.delete(caller));
      relogins.set(caller, pending);
      return pending;
    };
    let restarting: Promise<void> | undefined;
    const restart = () => {
      restarting ??= (async () => {
        await startAgain();
        for (const caller of callers) if (caller !== 'signed-out') await signIn(sessions[caller], caller);
      })().finally(() => {
        restarting = undefined;
      });
      return restarting;
    };

    const callOnce = async (input: HostInput): Promise<Sent | NoAnswer> => {
      const session = sessions[input.caller];
      if (input.transport === 'renderer') return session.call(input.method, input.body.text, options.timeoutMs);
      const host = current();
      const headers: Record<string, string> = { host: host.url.host, 'content-type': 'application/json' };
      if (session.cookie !== undefined) headers.cookie = session.cookie;
      if (input.transport === 'text-plain') Object.assign(headers, { 'content-type': 'text/plain', [TOKEN_HEADER]: host.token });
      if (input.transport === 'foreign-origin') Object.assign(headers, { origin: 'http://evil.example', [TOKEN_HEADER]: host.token });
      const path = input.transport === 'encoded-path' ? encodedPath(input.method) : `/api/${input.method}`;
      return send(host.url, { path, headers, body: input.body.text, timeoutMs: options.timeoutMs });
    };

    const one = async (input: HostInput) => {
      await restarting;
      const what = `${input.caller} ${input.transport} ${input.method} ${input.body.text}`;
      const t0 = performance.now();
      const answer = await callOnce(input);
      bump(report.msBy, input.method, Math.round(performance.now() - t0));
      report.inputs += 1;
      bump(report.kinds, input.body.kind);
      if (!answered(answer)) {
        if (answer.failed === 'timeout') failure(report, 'hang', what, answer.message);
        else if (!alive(current())) {
          failure(report, 'crash', what, `host died: ${current().log.slice(-5).join(' | ')}`);
          await restart();
        } else bump(report.answers, `connection: ${answer.message}`);
        return;
      }
      const result = resultOf(answer);
      const code = result === undefined ? `http ${answer.status}` : result.ok ? 'ok' : (result.error?.code ?? 'no-code');
      bump(report.answers, code);
      // HUB_ERROR (502) passes on head office's failure (unreachable, refused): an honest answer about
      // another machine, not a failure of this one. Anything else at 5xx is.
      if (code === 'INTERNAL' || (answer.status >= 500 && code !== 'HUB_ERROR')) failure(report, 'internal', what, `${answer.status} ${answer.body.toString('utf8')}`);
      // Without the launch token, from another origin or as text/plain, nothing may get through.
      if (input.transport !== 'renderer' && code === 'ok') failure(report, 'internal', what, `bypass: answered ok to a ${input.transport} request`);
      if (code === 'UNAUTHENTICATED' || code === 'SESSION_LOCKED') await relogin(input.caller);
    };

    const batchSize = 200;
    for (let batch = 0; report.inputs < options.inputs; batch += 1) {
      const queue = fc.sample(arbitrary, { seed: options.seed + batch, numRuns: Math.min(batchSize, options.inputs - report.inputs) });
      await Promise.all(
        Array.from({ length: options.concurrency }, async () => {
          for (let input = queue.shift(); input !== undefined; input = queue.shift()) await one(input);
        }),
      );
      if (batch % 10 === 9) options.log(`[fuzz host-api] ${report.inputs} inputs, ${report.internal} internal, ${report.crashes} crashes, ${report.hangs} hangs`);
    }
    await stopHostProcess(current());
    const db = openDataDir(dataDir);
    try {
      const checked = checkDatabase(db);
      report.auditVerified = checked.auditOk;
      report.integrityOk = checked.integrityOk;
      if (!checked.auditOk) report.examples.push({ what: 'audit', input: '', answer: checked.auditProblems.join('; ') });
      if (!checked.integrityOk) report.examples.push({ what: 'integrity', input: '', answer: checked.integrity });
    } finally {
      db.close();
    }
    const internalLog = current().log.filter((line) => line.includes('failed'));
    if (internalLog.length > 0) report.examples.push({ what: 'host log', input: '', answer: internalLog.slice(0, 5).join(' | ').slice(0, 2000) });
  });
  report.ms = Math.round(performance.now() - started);
  return report;
}
