import { expect } from 'vitest';
import type { ConsoleRegisterPage } from '../../shared/api/console.ts';
import type { SyncStatus } from '../../shared/api/index.ts';
import { consoleCookie, startHub, type HubProcess } from './hub.ts';
import { enrolledLaptops, value, type Laptop } from './laptops.ts';

/**
 * The setting of the console's cross-branch register tests: a real hub process, two branches (浮梁
 * and 乐平, each in its own county) with one laptop each, and a signed-in 总行管理员's cookie. The hub's database may hold
 * other tests' branches (CI runs the sync suite against one PostgreSQL), so the branches' names and
 * codes carry the test's tag and a per-run suffix, and a test counts within its own two branches.
 */
export interface TwoBranches {
  hub: HubProcess;
  fuliang: Laptop;
  leping: Laptop;
  fuliangName: string;
  lepingName: string;
  suffix: number;
  /** A console page or API answer as the signed-in 总行管理员 gets it (status 200 expected). */
  get(path: string): Promise<string>;
  /** A console download (an .xlsx export) as bytes (status 200 expected). */
  download(path: string): Promise<ArrayBuffer>;
  /** A laptop's sync, which must end without an error. */
  sync(laptop: Laptop): Promise<void>;
  stop(): Promise<void>;
}

/** The branches' counties as the hub knows them (branches.division_code): 浮梁县 and 乐平市, for the registers' county filter. */
export const FULIANG_COUNTY = '360222';
export const LEPING_COUNTY = '360281';

/** The value of a console API answer (the hub's envelope), which must be ok. */
export function apiValue<T>(json: string): T {
  const parsed = JSON.parse(json) as { ok: boolean; value: T; error?: unknown };
  expect(parsed.ok, JSON.stringify(parsed.error)).toBe(true);
  return parsed.value;
}

/** A register page's cells of one column (by its key), sorted. */
export const columnCells = (page: ConsoleRegisterPage, key: string) => page.rows.map((row) => row.cells[page.columns.findIndex((column) => column.key === key)]!).sort();

/** Everything a register page's rows show (branch and cells), as one text to look for words in. */
export const registerText = (page: ConsoleRegisterPage) => page.rows.map((row) => [row.branchName, ...row.cells].join('\t')).join('\n');

/** A branch's id by its name, from the registers' branch select (registers.filters). */
export async function branchIdOf(get: (path: string) => Promise<string>, name: string): Promise<string | undefined> {
  return apiValue<{ branches: { id: string; name: string }[] }>(await get('/console/api/register-filters')).branches.find((branch) => branch.name === name)?.id;
}

export async function twoBranchConsole(tag: string): Promise<TwoBranches> {
  const suffix = Date.now() % 100000;
  const fuliangName = `浮梁县支行${tag}${suffix}`;
  const lepingName = `乐平市支行${tag}${suffix}`;
  const hub = await startHub();
  const { A: fuliang } = await enrolledLaptops(hub, fuliangName, `FL-${tag}-${suffix}`, ['A'], FULIANG_COUNTY);
  const { B: leping } = await enrolledLaptops(hub, lepingName, `LP-${tag}-${suffix}`, ['B'], LEPING_COUNTY);
  const cookie = await consoleCookie(hub);
  return {
    hub,
    fuliang,
    leping,
    fuliangName,
    lepingName,
    suffix,
    async get(path) {
      const response = await fetch(new URL(path, hub.url), { headers: { cookie } });
      expect(response.status).toBe(200);
      return response.text();
    },
    async download(path) {
      const response = await fetch(new URL(path, hub.url), { headers: { cookie } });
      expect(response.status).toBe(200);
      return response.arrayBuffer();
    },
    async sync(laptop) {
      expect((await value<SyncStatus>(laptop.dispatch('sync.now', {}, laptop.sessions.officer))).lastError).toBeNull();
    },
    async stop() {
      fuliang.cleanup();
      leping.cleanup();
      await hub.stop();
    },
  };
}
