import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { packFieldHlc, unpackFieldHlc, type StoredFieldHlc } from './fieldHlc.ts';
import { createHub, type Hub } from './hub.ts';
import type { Storage } from './storage.ts';
import { call, TestDevice, valueOf } from './testing/device.ts';
import { testStorages } from './testing/storages.ts';

const A = '1700000000000:0:laptop-a';
const B = '1700000000001:0:laptop-b';

describe('field_hlc as stored', () => {
  it('groups the fields by HLC and gives the same map back', () => {
    const fieldHlc = { name: A, scale: A, address: B, notes: A };
    const packed = packFieldHlc(fieldHlc);
    expect(packed).toEqual({ [A]: ['name', 'scale', 'notes'], [B]: ['address'] });
    expect(unpackFieldHlc(packed)).toEqual(fieldHlc);
    expect(unpackFieldHlc(packFieldHlc({}))).toEqual({});
  });

  it('reads rows stored before, field → HLC, and rows mixing both forms', () => {
    expect(unpackFieldHlc({ name: A, address: B })).toEqual({ name: A, address: B });
    expect(unpackFieldHlc({ [A]: ['name', 'scale'], address: B })).toEqual({ name: A, scale: A, address: B });
  });
});

const ADMIN = 'field-hlc-admin-token-0123456789';

/** The grouped form at work in a hub: new rows are stored grouped, rows in the old form still merge per field by HLC. */
describe.each(testStorages())('field_hlc in the ledger on $name', (testStorage) => {
  let storage: Storage;
  let cleanup: () => Promise<void>;
  let hub: Hub;
  let url: string;
  let device: TestDevice;

  beforeAll(async () => {
    ({ storage, cleanup } = await testStorage.open());
    hub = await createHub({ storage, adminToken: ADMIN });
    url = await hub.listen();
    const branch = valueOf(await call<{ id: string }>(url, '/admin/branches', { token: ADMIN, body: { name: '时钟支行', code: `HLC-${uuidv7().slice(-6)}`, divisionCode: '430582' } })).id;
    device = await TestDevice.enroll(url, ADMIN, branch);
    valueOf(await device.hello());
  }, 120_000);
  afterAll(async () => {
    await hub?.close();
    await cleanup?.();
  });

  const stored = async (rowId: string) =>
    (await storage.query<{ field_hlc: Record<string, unknown>; data: Record<string, unknown> }>('SELECT field_hlc, data FROM sync_rows WHERE branch_id = $1 AND row_id = $2', [device.branchId, rowId]))[0]!;

  it('stores a new row with one entry for its insert HLC, and merges later writes per field', async () => {
    const rowId = uuidv7();
    const insert = device.write('enterprises', rowId, 'insert', { name: '华盛建材有限公司', address: '浮梁县一路1号' });
    await device.pushOk([insert]);
    const first = await stored(rowId);
    expect(Object.keys(first.field_hlc)).toEqual([insert.hlc]);
    expect(first.field_hlc[insert.hlc]).toEqual(expect.arrayContaining(['name', 'address']));

    const update = device.write('enterprises', rowId, 'update', { address: '浮梁县二路2号' }, 1);
    await device.pushOk([update]);
    const second = await stored(rowId);
    expect(second.data.address).toBe('浮梁县二路2号');
    expect(second.field_hlc[update.hlc]).toEqual(['address']);
    expect(second.field_hlc[insert.hlc]).not.toContain('address');
    // An address written before the row's (an older HLC) loses to it, field by field.
    const late = { ...device.write('enterprises', rowId, 'update', { address: '浮梁县三路3号' }, 2), hlc: insert.hlc };
    const [result] = await device.pushOk([late]);
    expect(result?.staleFields).toEqual(['address']);
    expect((await stored(rowId)).data.address).toBe('浮梁县二路2号');
  });

  it('merges a row stored in the old form (field → HLC) by its HLCs, and stores it grouped when written', async () => {
    const rowId = uuidv7();
    const insert = device.write('enterprises', rowId, 'insert', { name: '青山水泥厂', address: '乐平市一路1号' });
    await device.pushOk([insert]);
    const newer = '9999999999999:0:head-office';
    const plain = { ...unpackFieldHlc((await stored(rowId)).field_hlc as StoredFieldHlc), address: newer };
    await storage.query('UPDATE sync_rows SET field_hlc = $3::jsonb WHERE branch_id = $1 AND row_id = $2', [device.branchId, rowId, JSON.stringify(plain)]);

    const update = device.write('enterprises', rowId, 'update', { address: '乐平市二路2号', employees: 150 }, 1);
    const [result] = await device.pushOk([update]);
    // The address's stamp in the old form is later than the laptop's: kept; the head count is taken.
    expect(result?.staleFields).toEqual(['address']);
    const after = await stored(rowId);
    expect(after.data.address).toBe('乐平市一路1号');
    expect(after.data.employees).toBe(150);
    expect(after.field_hlc[newer]).toEqual(['address']);
    expect(after.field_hlc[update.hlc]).toEqual(['employees']);
  });
});
