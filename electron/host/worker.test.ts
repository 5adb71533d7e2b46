import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { tempStoreDir } from '../../db/testing.ts';
import { openStore } from './store.ts';
import { createWorkerState, handleWorkerMessage, type WorkerState } from './workerRuntime.ts';
import type { RenderPdfMessage } from './workerProtocol.ts';

/**
 * The host worker's message handling over a real encrypted store. worker.ts itself needs Electron's
 * process.parentPort, so it is a thin wire around handleWorkerMessage, which is what runs here.
 */
describe('host worker messages', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    while (cleanups.length > 0) cleanups.pop()?.();
  });

  function setup(): { state: WorkerState; logs: string[]; dir: string; keyHex: string } {
    const temp = tempStoreDir();
    const logs: string[] = [];
    const state = createWorkerState((line) => logs.push(line));
    cleanups.push(() => {
      state.store?.db.close();
      temp.cleanup();
    });
    return { state, logs, dir: temp.dir, keyHex: temp.keyHex };
  }

  const init = (dir: string, keyHex: string) => ({ type: 'init', dataDir: dir, keyHex, appVersion: '9.9.9-test' });

  it('answers init with ready and then serves calls with their Result', async () => {
    const { state, dir, keyHex } = setup();
    expect(await handleWorkerMessage(state, init(dir, keyHex))).toEqual({ type: 'ready' });

    const info = await handleWorkerMessage(state, { type: 'call', id: 7, method: 'app.info', input: {}, sessionId: 'wc:1' });
    expect(info).toMatchObject({
      type: 'result',
      id: 7,
      result: { ok: true, value: { mode: 'desktop', appVersion: '9.9.9-test', dataDir: dir, encrypted: true } },
    });

    await handleWorkerMessage(state, { type: 'call', id: 8, method: 'settings.update', input: { locale: 'en' }, sessionId: 'wc:1' });
    expect(await handleWorkerMessage(state, { type: 'call', id: 9, method: 'settings.get', input: {}, sessionId: 'wc:1' })).toMatchObject({
      type: 'result',
      id: 9,
      result: { ok: true, value: { locale: 'en' } },
    });
  });

  it('carries dispatch errors back as results, never as throws', async () => {
    const { state, dir, keyHex } = setup();
    await handleWorkerMessage(state, init(dir, keyHex));
    expect(await handleWorkerMessage(state, { type: 'call', id: 1, method: 'users.dropAll', input: {}, sessionId: 's' })).toMatchObject({
      type: 'result',
      id: 1,
      result: { ok: false, error: { code: 'UNKNOWN_METHOD' } },
    });
    expect(await handleWorkerMessage(state, { type: 'call', id: 2, method: 'settings.update', input: { locale: 42 }, sessionId: 's' })).toMatchObject({
      result: { ok: false, error: { code: 'VALIDATION' } },
    });
  });

  it('answers a call before init with HOST_UNAVAILABLE', async () => {
    const { state } = setup();
    expect(await handleWorkerMessage(state, { type: 'call', id: 3, method: 'app.info', input: {}, sessionId: 's' })).toMatchObject({
      type: 'result',
      id: 3,
      result: { ok: false, error: { code: 'HOST_UNAVAILABLE' } },
    });
  });

  it('ignores malformed messages with a log line that does not echo their content', async () => {
    const { state, logs, dir } = setup();
    const secret = 'ab'.repeat(32);
    const malformed: unknown[] = [
      null,
      'init',
      42,
      { type: 'launch-missiles' },
      { type: 'call', id: -1, method: 'app.info', input: {}, sessionId: 's' },
      { type: 'call', id: 1, method: 'app.info', input: {} },
      { type: 'init', dataDir: dir, keyHex: secret, appVersion: '1', extra: true },
    ];
    for (const message of malformed) {
      expect(await handleWorkerMessage(state, message)).toBeUndefined();
    }
    expect(logs.filter((line) => line.includes('ignored a malformed message'))).toHaveLength(malformed.length);
    expect(logs.join('\n')).not.toContain(secret);
    expect(state.store).toBeNull();
  });

  it('answers init with a wrong key with init-failed DB_KEY_INVALID', async () => {
    const { state, dir } = setup();
    const first = openStore(dir, randomBytes(32).toString('hex'));
    first.db.close();
    const reply = await handleWorkerMessage(state, init(dir, randomBytes(32).toString('hex')));
    expect(reply).toMatchObject({ type: 'init-failed', error: { code: 'DB_KEY_INVALID' } });
    expect(state.dispatch).toBeNull();
    expect(await handleWorkerMessage(state, { type: 'call', id: 1, method: 'app.info', input: {}, sessionId: 's' })).toMatchObject({
      result: { ok: false, error: { code: 'HOST_UNAVAILABLE' } },
    });
  });

  it('answers init with a malformed key with init-failed DB_KEY_INVALID', async () => {
    const { state, dir } = setup();
    expect(await handleWorkerMessage(state, init(dir, 'not-hex'))).toMatchObject({
      type: 'init-failed',
      error: { code: 'DB_KEY_INVALID' },
    });
  });

  it('closes the store on shutdown and refuses later calls', async () => {
    const { state, dir, keyHex } = setup();
    await handleWorkerMessage(state, init(dir, keyHex));
    const db = state.store?.db;
    expect(await handleWorkerMessage(state, { type: 'shutdown' })).toBeUndefined();
    expect(state.closed).toBe(true);
    expect(db?.open).toBe(false);
    expect(await handleWorkerMessage(state, { type: 'call', id: 5, method: 'settings.get', input: {}, sessionId: 's' })).toMatchObject({
      result: { ok: false, error: { code: 'HOST_UNAVAILABLE' } },
    });
    // The store can be opened again with the same key: the worker left it whole.
    openStore(dir, keyHex).db.close();
  });

  it('prints through main: the host\'s PDF renderer posts render-pdf and resolves with main\'s answer', async () => {
    const temp = tempStoreDir();
    const posted: RenderPdfMessage[] = [];
    const state = createWorkerState(() => {}, undefined, (message) => posted.push(message));
    cleanups.push(() => {
      state.runtime?.stop();
      temp.cleanup();
    });
    expect(await handleWorkerMessage(state, init(temp.dir, temp.keyHex))).toEqual({ type: 'ready' });
    const pdf = state.runtime!.ctx.pdf;

    const printed = pdf('<p>函</p>');
    expect(posted).toEqual([{ type: 'render-pdf', id: 1, html: '<p>函</p>' }]);
    // An answer for no waiting print (late, or for a worker before a restart) changes nothing.
    await handleWorkerMessage(state, { type: 'pdf-rendered', id: 99, pdfBase64: Buffer.from('%PDF-x').toString('base64') });
    await handleWorkerMessage(state, { type: 'pdf-rendered', id: 1, pdfBase64: Buffer.from('%PDF-1.4 letter').toString('base64') });
    expect((await printed).toString('latin1')).toBe('%PDF-1.4 letter');

    const failed = pdf('<p>x</p>');
    await handleWorkerMessage(state, { type: 'pdf-rendered', id: 2, error: 'printToPDF failed' });
    await expect(failed).rejects.toThrow('printToPDF failed');

    const notPdf = pdf('<p>y</p>');
    await handleWorkerMessage(state, { type: 'pdf-rendered', id: 3, pdfBase64: Buffer.from('<html>').toString('base64') });
    await expect(notPdf).rejects.toThrow('without a PDF');
  });
});
