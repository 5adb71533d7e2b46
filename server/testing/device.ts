import { gzipSync } from 'node:zlib';
import { encodeHlc, tick, zeroHlc, type Hlc } from '../../shared/sync/hlc.ts';
import type { Change, Conflict, PullResponse, PushResult, RowSnapshot } from '../../shared/sync/protocol.ts';
import { uuidv7 } from 'uuidv7';
import { testRowFields } from './rows.ts';

/** What a test sees of one HTTP answer. */
export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  /** The parsed JSON body. */
  body: { ok: true; value: T } | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };
}

export interface RequestOptions {
  token?: string;
  /** JSON-encoded unless `raw` is given. */
  body?: unknown;
  raw?: string | Buffer;
  gzip?: boolean;
  headers?: Record<string, string>;
  method?: string;
}

/** Real HTTP against a hub on loopback. */
export async function call<T = unknown>(baseUrl: string, path: string, options: RequestOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }) };
  let body: string | Buffer | undefined = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (body !== undefined && options.gzip === true) {
    body = gzipSync(body);
    headers['content-encoding'] = 'gzip';
  }
  Object.assign(headers, options.headers);
  const response = await fetch(`${baseUrl}${path}`, {
    method: options.method ?? (body === undefined && options.method === undefined ? 'GET' : 'POST'),
    headers,
    ...(body === undefined ? {} : { body: new Uint8Array(body instanceof Buffer ? body : Buffer.from(body)) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text) as Answer<T>['body'] };
}

export function valueOf<T>(answer: Answer<T>): T {
  if (!answer.body.ok) throw new Error(`Expected ok, got HTTP ${answer.status} ${answer.body.error.code}: ${answer.body.error.message}`);
  return answer.body.value;
}

interface LocalRow {
  version: number;
  deleted: boolean;
  data: Record<string, unknown>;
}

/**
 * A stand-in for the desktop sync client, just enough to drive the hub the way a laptop would:
 * optimistic local writes captured as changes with HLCs, pushes, and pulls that apply snapshots
 * and advance the checkpoint.
 */
export class TestDevice {
  readonly rows = new Map<string, LocalRow>();
  readonly conflicts = new Map<string, Conflict>();
  readonly reference = new Map<string, { version: number; data: unknown }>();
  checkpoint = 0;
  private nextOpId = 1;
  private clock: Hlc;
  /** Shifts this laptop's wall clock (ms) to simulate a wrong date. */
  clockOffsetMs = 0;

  constructor(
    readonly baseUrl: string,
    readonly token: string,
    readonly clientId: string,
    readonly branchId: string,
  ) {
    this.clock = zeroHlc(clientId);
  }

  static async enroll(baseUrl: string, adminToken: string, branchId: string, name = 'laptop'): Promise<TestDevice> {
    const code = valueOf(await call<{ code: string }>(baseUrl, `/admin/branches/${branchId}/enrollment-codes`, { token: adminToken, method: 'POST' })).code;
    const clientId = uuidv7();
    const enrolled = valueOf(await call<{ deviceToken: string; branch: { id: string } }>(baseUrl, '/sync/v1/enroll', { body: { code, deviceName: name, clientId } }));
    return new TestDevice(baseUrl, enrolled.deviceToken, clientId, enrolled.branch.id);
  }

  hello(schemaVersion = 1) {
    return call(this.baseUrl, '/sync/v1/hello', {
      token: this.token,
      body: { protocol: 1, appVersion: '0.1.0', schemaVersion, clientId: this.clientId, clientTime: new Date(Date.now() + this.clockOffsetMs).toISOString() },
    });
  }

  /**
   * A local write: applied to the local row at once and returned as the outbox change. An insert is
   * a complete row, as a laptop writes it (server/testing/rows.ts), with `fields` on top; `asIs`
   * sends exactly `fields` (a misbehaving laptop).
   */
  write(table: string, rowId: string, op: Change['op'], given: Record<string, unknown>, baseVersion?: number, options: { asIs?: boolean } = {}): Change {
    const row = this.rows.get(`${table}/${rowId}`);
    const at = new Date().toISOString();
    const fields = op === 'insert' && row === undefined && options.asIs !== true ? { ...testRowFields(table, at, 'officer-1'), ...given } : given;
    this.clock = tick(this.clock, Date.now() + this.clockOffsetMs);
    const change = {
      opId: this.nextOpId++,
      table,
      rowId,
      op,
      fields,
      prev: Object.fromEntries(Object.keys(fields).map((field) => [field, row?.data[field] ?? null])),
      baseVersion: baseVersion ?? row?.version ?? 0,
      hlc: encodeHlc(this.clock),
      userId: 'officer-1',
      at,
    } as Change;
    if (op === 'delete') {
      if (row !== undefined) row.deleted = true;
    } else {
      this.rows.set(`${table}/${rowId}`, { version: row?.version ?? 0, deleted: false, data: { ...row?.data, ...fields } });
    }
    return change;
  }

  push(changes: Change[], options: { gzip?: boolean; clientId?: string } = {}) {
    return call<{ results: PushResult[] }>(this.baseUrl, '/sync/v1/push', {
      token: this.token,
      body: { clientId: options.clientId ?? this.clientId, changes },
      gzip: options.gzip ?? true,
    });
  }

  async pushOk(changes: Change[]): Promise<PushResult[]> {
    return valueOf(await this.push(changes)).results;
  }

  pullPage(limit?: number) {
    return call<PullResponse>(this.baseUrl, '/sync/v1/pull', {
      token: this.token,
      body: { since: this.checkpoint, ...(limit === undefined ? {} : { limit }), referenceVersions: Object.fromEntries([...this.reference].map(([name, set]) => [name, set.version])) },
      headers: { 'accept-encoding': 'gzip' },
    });
  }

  /** Pulls until caught up, applying each page like the desktop does (snapshots, then the checkpoint). */
  async pull(limit?: number): Promise<PullResponse[]> {
    const pages: PullResponse[] = [];
    for (let guard = 0; guard < 1000; guard += 1) {
      const page = valueOf(await this.pullPage(limit));
      pages.push(page);
      for (const row of page.rows) this.applySnapshot(row);
      for (const conflict of page.conflicts) this.conflicts.set(conflict.id, conflict);
      for (const set of page.reference) this.reference.set(set.name, { version: set.version, data: set.data });
      this.checkpoint = page.next;
      if (!page.hasMore) return pages;
    }
    throw new Error('pull did not finish');
  }

  private applySnapshot(row: RowSnapshot): void {
    this.rows.set(`${row.table}/${row.rowId}`, { version: row.version, deleted: row.deleted, data: row.data });
  }

  row(table: string, rowId: string): LocalRow | undefined {
    return this.rows.get(`${table}/${rowId}`);
  }
}
