import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN_FILE, adminToken, hubConfig } from './config.ts';

describe('hub configuration from the environment', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gl-hub-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has zero-setup defaults', () => {
    expect(hubConfig({}, '/srv')).toEqual({
      port: 8787,
      host: '127.0.0.1',
      dataDir: '/srv/headoffice-data',
      databaseUrl: undefined,
      tls: undefined,
      adminToken: undefined,
      minSchemaVersion: 1,
      maxInFlight: 64,
      admissionQueue: 512,
      admissionWaitMs: 10_000,
      dbPoolSize: 10,
      workers: 1,
      unauthenticatedPerMinute: 60,
      retention: { windowDays: 180, expired: 'drop' },
    });
  });

  it('honours every variable', () => {
    const config = hubConfig(
      {
        HEADOFFICE_PORT: '9443',
        HEADOFFICE_HOST: '0.0.0.0',
        HEADOFFICE_DATA_DIR: 'data',
        DATABASE_URL: 'postgresql://hub@db/greenledger',
        HEADOFFICE_TLS_CERT: 'tls/cert.pem',
        HEADOFFICE_TLS_KEY: '/etc/hub/key.pem',
        HEADOFFICE_ADMIN_TOKEN: 'a-long-enough-admin-token',
        HEADOFFICE_MIN_SCHEMA_VERSION: '4',
        HEADOFFICE_MAX_IN_FLIGHT: '200',
        HEADOFFICE_ADMISSION_QUEUE: '0',
        HEADOFFICE_ADMISSION_WAIT_MS: '4000',
        HEADOFFICE_DB_POOL_SIZE: '24',
        HEADOFFICE_WORKERS: '4',
        HEADOFFICE_UNAUTHENTICATED_PER_MINUTE: '5000',
        HEADOFFICE_CHANGE_LOG_DAYS: '400',
        HEADOFFICE_CHANGE_LOG_EXPIRED: 'detach',
      },
      '/srv',
    );
    expect(config).toEqual({
      port: 9443,
      host: '0.0.0.0',
      dataDir: '/srv/data',
      databaseUrl: 'postgresql://hub@db/greenledger',
      tls: { certFile: '/srv/tls/cert.pem', keyFile: '/etc/hub/key.pem' },
      adminToken: 'a-long-enough-admin-token',
      minSchemaVersion: 4,
      maxInFlight: 200,
      admissionQueue: 0,
      admissionWaitMs: 4000,
      dbPoolSize: 24,
      workers: 4,
      unauthenticatedPerMinute: 5000,
      retention: { windowDays: 400, expired: 'detach' },
    });
  });

  it.each([
    [{ HEADOFFICE_PORT: 'eighty' }, /HEADOFFICE_PORT/],
    [{ HEADOFFICE_PORT: '70000' }, /HEADOFFICE_PORT/],
    [{ HEADOFFICE_TLS_CERT: 'cert.pem' }, /both/],
    [{ HEADOFFICE_ADMIN_TOKEN: 'short' }, /16 characters/],
    [{ HEADOFFICE_MIN_SCHEMA_VERSION: '-1' }, /MIN_SCHEMA_VERSION/],
    [{ HEADOFFICE_MAX_IN_FLIGHT: '0' }, /HEADOFFICE_MAX_IN_FLIGHT/],
    [{ HEADOFFICE_ADMISSION_QUEUE: '-1' }, /HEADOFFICE_ADMISSION_QUEUE/],
    [{ HEADOFFICE_ADMISSION_WAIT_MS: '0' }, /HEADOFFICE_ADMISSION_WAIT_MS/],
    [{ HEADOFFICE_DB_POOL_SIZE: 'many' }, /HEADOFFICE_DB_POOL_SIZE/],
    [{ HEADOFFICE_UNAUTHENTICATED_PER_MINUTE: '1.5' }, /HEADOFFICE_UNAUTHENTICATED_PER_MINUTE/],
    [{ HEADOFFICE_CHANGE_LOG_DAYS: '7' }, /CHANGE_LOG_DAYS.*at least 30/],
    [{ HEADOFFICE_CHANGE_LOG_DAYS: 'half a year' }, /CHANGE_LOG_DAYS/],
    [{ HEADOFFICE_CHANGE_LOG_EXPIRED: 'archive' }, /drop or detach/],
    [{ HEADOFFICE_WORKERS: '0', DATABASE_URL: 'postgresql://hub@db/greenledger' }, /HEADOFFICE_WORKERS/],
    [{ HEADOFFICE_WORKERS: '2' }, /HEADOFFICE_WORKERS above 1 needs DATABASE_URL/],
  ])('refuses %o clearly', (env, message) => {
    expect(() => hubConfig(env)).toThrow(message);
  });

  it('generates the admin token once, stores it 0600, and reads it back later', () => {
    const config = hubConfig({ HEADOFFICE_DATA_DIR: dir });
    const first = adminToken(config);
    expect(first.generated).toBe(true);
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const file = join(dir, ADMIN_TOKEN_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.token);
    expect(adminToken(config)).toEqual({ token: first.token, file, generated: false });
    expect(adminToken({ ...config, adminToken: 'from-the-environment-token' })).toEqual({ token: 'from-the-environment-token', file: undefined, generated: false });
  });
});
