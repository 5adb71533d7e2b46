import { hostWithUsers } from '../../electron/host/testing.ts';
import { admin, branchWithCode, type HubProcess } from './hub.ts';

/** Laptops of one branch for sync integration tests: each a real host with an officer, a manager and an administrator. */
export type Laptop = Awaited<ReturnType<typeof hostWithUsers>>;

export type Answer = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };

/** A dispatch's value, or the error it answered as an exception (the test then names it). */
export async function value<T>(promise: Promise<Answer>): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value as T;
}

/** A new branch at the hub and one enrolled laptop per name, each with its own enrollment code. */
export async function enrolledLaptops<N extends string>(hub: HubProcess, branchName: string, branchCode: string, names: readonly N[], divisionCode?: string): Promise<Record<N, Laptop>> {
  const branch = await branchWithCode(hub, branchName, branchCode, divisionCode);
  const laptops = {} as Record<N, Laptop>;
  for (const [i, name] of names.entries()) {
    const laptop = await hostWithUsers();
    const code = i === 0 ? branch.enrollmentCode : (await admin<{ code: string }>(hub, `/admin/branches/${branch.branchId}/enrollment-codes`, {})).code;
    await value(laptop.dispatch('sync.enroll', { hubUrl: hub.url, code, deviceName: `笔记本 ${name}` }, laptop.sessions.admin));
    laptops[name] = laptop;
  }
  return laptops;
}
