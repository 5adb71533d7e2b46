import { createHash, randomBytes, randomInt } from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import type { BranchSummary, CreateBranchRequest, EnrollmentCodeResponse } from '../shared/sync/admin.ts';
import type { BranchInfo, EnrollRequest, EnrollResponse } from '../shared/sync/protocol.ts';
import { HubError } from './errors.ts';
import { anchorsByDevice } from './anchors.ts';
import type { Sql, Storage } from './storage.ts';

/**
 * The directory: branches, their one-time enrollment codes and their devices. Secrets (codes and
 * device tokens) are shown once and stored only as SHA-256, so a copy of the hub database opens
 * no branch. Tokens are 32 random bytes: a hash without salt or stretching is enough for them,
 * unlike passwords.
 */

export const ENROLLMENT_CODE_TTL_MS = 24 * 60 * 60 * 1000;
// No 0/O, 1/I/L: the code is read out over the phone and typed on a laptop.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 16; // 31^16 ≈ 2^79

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Case, spaces and dashes do not matter when the code is typed in. */
const normaliseCode = (code: string): string => code.toUpperCase().replace(/[^A-Z0-9]/g, '');

interface DbBranch {
  branch_id: string;
  name: string;
  code: string;
  division_code: string;
}

const toBranchInfo = (row: DbBranch): BranchInfo => ({ id: row.branch_id, name: row.name, code: row.code, divisionCode: row.division_code });
const iso = (value: unknown): string | null => (value === null || value === undefined ? null : value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString());

export async function createBranch(storage: Storage, request: CreateBranchRequest): Promise<BranchInfo> {
  const branchId = uuidv7();
  return storage.transaction(async (tx) => {
    const [existing] = await tx.query('SELECT 1 FROM branches WHERE code = $1', [request.code]);
    if (existing !== undefined) throw new HubError('CONFLICT', `A branch with code ${request.code} already exists`);
    const [row] = await tx.query<DbBranch>(
      'INSERT INTO branches (branch_id, name, code, division_code) VALUES ($1, $2, $3, $4) RETURNING branch_id::text AS branch_id, name, code, division_code',
      [branchId, request.name, request.code, request.divisionCode],
    );
    await tx.query('INSERT INTO branch_sync (branch_id) VALUES ($1)', [branchId]);
    return toBranchInfo(row as DbBranch);
  });
}

async function findBranch(sql: Sql, branchId: string): Promise<BranchInfo | null> {
  const [row] = await sql.query<DbBranch>('SELECT branch_id::text AS branch_id, name, code, division_code FROM branches WHERE branch_id = $1', [branchId]);
  return row === undefined ? null : toBranchInfo(row);
}

export async function createEnrollmentCode(storage: Storage, branchId: string, now = Date.now()): Promise<EnrollmentCodeResponse> {
  if ((await findBranch(storage, branchId)) === null) throw new HubError('NOT_FOUND', `No branch ${branchId}`);
  const raw = Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
  const expiresAt = new Date(now + ENROLLMENT_CODE_TTL_MS).toISOString();
  await storage.query('INSERT INTO enrollment_codes (code_hash, branch_id, expires_at) VALUES ($1, $2, $3)', [sha256(raw), branchId, expiresAt]);
  return { code: raw.match(/.{4}/g)?.join('-') ?? raw, branchId, expiresAt };
}

/**
 * Spends a one-time code (atomically: two laptops racing with one code, one wins) and registers
 * the device. The token is returned once and never stored.
 */
export async function enroll(storage: Storage, request: EnrollRequest): Promise<EnrollResponse> {
  const deviceId = uuidv7();
  const deviceToken = randomBytes(32).toString('base64url');
  return storage.transaction(async (tx) => {
    const [spent] = await tx.query<{ branch_id: string }>(
      `UPDATE enrollment_codes SET used_at = now(), device_id = $2
       WHERE code_hash = $1 AND used_at IS NULL AND expires_at > now()
       RETURNING branch_id::text AS branch_id`,
      [sha256(normaliseCode(request.code)), deviceId],
    );
    if (spent === undefined) {
      throw new HubError('ENROLLMENT_INVALID', 'This enrollment code is unknown, already used or expired; ask head office for a new one');
    }
    await tx.query('INSERT INTO devices (device_id, branch_id, client_id, name, token_hash) VALUES ($1, $2, $3, $4, $5)', [
      deviceId,
      spent.branch_id,
      request.clientId,
      request.deviceName,
      sha256(deviceToken),
    ]);
    const branch = await findBranch(tx, spent.branch_id);
    return { deviceToken, deviceId, branch: branch as BranchInfo };
  });
}

export interface Device {
  deviceId: string;
  clientId: string;
  name: string;
  schemaVersion: number | null;
  branch: BranchInfo;
  /** Push pages applied for the device so far, as read with its token (a read-ahead page's guard, hub.ts). */
  pushes: number;
}

/** The device a bearer token belongs to; a revoked or unknown token is refused with a clear code. */
export async function authenticateDevice(sql: Sql, token: string | undefined): Promise<Device> {
  if (token === undefined || token === '') throw new HubError('UNAUTHENTICATED', 'Missing device token (Authorization: Bearer <token>); enroll this device first');
  const [row] = await sql.query<DbBranch & { device_id: string; client_id: string; device_name: string; revoked_at: unknown; schema_version: number | null; pushes: number | string }>(
    `SELECT d.device_id::text AS device_id, d.client_id::text AS client_id, d.name AS device_name, d.revoked_at, d.schema_version, d.pushes,
            b.branch_id::text AS branch_id, b.name, b.code, b.division_code
     FROM devices d JOIN branches b ON b.branch_id = d.branch_id
     WHERE d.token_hash = $1`,
    [sha256(token)],
  );
  if (row === undefined) throw new HubError('UNAUTHENTICATED', 'Unknown device token; enroll this device with a code from head office');
  if (row.revoked_at !== null) {
    throw new HubError(
      'DEVICE_REVOKED',
      'Head office revoked this device. Its local data is kept; ask head office for a new enrollment code to sync again.',
      { revokedAt: iso(row.revoked_at) },
    );
  }
  return { deviceId: row.device_id, clientId: row.client_id, name: row.device_name, schemaVersion: row.schema_version, branch: toBranchInfo(row), pushes: Number(row.pushes) };
}

export async function recordHello(sql: Sql, deviceId: string, hello: { appVersion: string; schemaVersion: number }): Promise<void> {
  await sql.query('UPDATE devices SET app_version = $2, schema_version = $3, last_seen_at = now() WHERE device_id = $1', [deviceId, hello.appVersion, hello.schemaVersion]);
}

/** A pull: when, and the reference set versions the device holds (what its laptop has applied). */
export async function recordPull(sql: Sql, deviceId: string, referenceVersions: Record<string, number>): Promise<void> {
  await sql.query('UPDATE devices SET last_sync_at = now(), last_seen_at = now(), reference_versions = $2::jsonb WHERE device_id = $1', [deviceId, JSON.stringify(referenceVersions)]);
}

export interface AppliedReference {
  branchId: string;
  branchName: string;
  deviceId: string;
  deviceName: string;
  /** The version of the set the device reported at its last pull; 0: none yet (the shipped default). */
  version: number;
  lastSyncAt: string | null;
}

/** Per active device of every branch, the version of one reference set it last reported holding. */
export async function appliedReference(sql: Sql, name: string): Promise<AppliedReference[]> {
  const rows = await sql.query<{ branch_id: string; branch_name: string; device_id: string; device_name: string; version: number | string | null; last_sync_at: unknown }>(
    `SELECT b.branch_id, b.name AS branch_name, d.device_id, d.name AS device_name, (d.reference_versions ->> $1)::integer AS version, d.last_sync_at
     FROM devices d JOIN branches b ON b.branch_id = d.branch_id
     WHERE d.revoked_at IS NULL ORDER BY b.name, d.name`,
    [name],
  );
  return rows.map((row) => ({ branchId: row.branch_id, branchName: row.branch_name, deviceId: row.device_id, deviceName: row.device_name, version: Number(row.version ?? 0), lastSyncAt: iso(row.last_sync_at) }));
}

export async function revokeDevice(sql: Sql, deviceId: string): Promise<{ id: string; revokedAt: string }> {
  const [row] = await sql.query<{ revoked_at: unknown }>(
    'UPDATE devices SET revoked_at = COALESCE(revoked_at, now()) WHERE device_id = $1 RETURNING revoked_at',
    [deviceId],
  );
  if (row === undefined) throw new HubError('NOT_FOUND', `No device ${deviceId}`);
  return { id: deviceId, revokedAt: iso(row.revoked_at) as string };
}

/** The head-office overview: every branch with its devices, last sync and open conflicts. */
export async function listBranches(sql: Sql): Promise<BranchSummary[]> {
  const branches = await sql.query<DbBranch & { created_at: unknown; pending_conflicts: number | string; rows: number | string }>(
    `SELECT b.branch_id::text AS branch_id, b.name, b.code, b.division_code, b.created_at,
            (SELECT count(*) FROM sync_conflicts c WHERE c.branch_id = b.branch_id AND c.status = 'open') AS pending_conflicts,
            (SELECT count(*) FROM sync_rows r WHERE r.branch_id = b.branch_id) AS rows
     FROM branches b ORDER BY b.code`,
  );
  const devices = await sql.query<{
    device_id: string;
    branch_id: string;
    client_id: string;
    name: string;
    enrolled_at: unknown;
    last_seen_at: unknown;
    last_sync_at: unknown;
    revoked_at: unknown;
    app_version: string | null;
    schema_version: number | null;
  }>(
    `SELECT device_id::text AS device_id, branch_id::text AS branch_id, client_id::text AS client_id, name, enrolled_at,
            last_seen_at, last_sync_at, revoked_at, app_version, schema_version
     FROM devices ORDER BY enrolled_at`,
  );
  const anchors = await anchorsByDevice(sql);
  return branches.map((branch) => {
    const own = devices.filter((device) => device.branch_id === branch.branch_id);
    const syncs = own.map((device) => iso(device.last_sync_at)).filter((at): at is string => at !== null).sort();
    return {
      ...toBranchInfo(branch),
      createdAt: iso(branch.created_at) as string,
      lastSyncAt: syncs[syncs.length - 1] ?? null,
      pendingConflicts: Number(branch.pending_conflicts),
      rows: Number(branch.rows),
      devices: own.map((device) => ({
        id: device.device_id,
        name: device.name,
        clientId: device.client_id,
        enrolledAt: iso(device.enrolled_at) as string,
        lastSeenAt: iso(device.last_seen_at),
        lastSyncAt: iso(device.last_sync_at),
        revokedAt: iso(device.revoked_at),
        appVersion: device.app_version,
        schemaVersion: device.schema_version,
        auditAnchor: anchors.get(device.device_id)?.latest ?? null,
        auditContradictions: anchors.get(device.device_id)?.contradictions ?? [],
      })),
    };
  });
}
