import { randomBytes } from 'node:crypto';

/**
 * Head-office people for tests against a hub on `url`: the first 总行管理员 made with the admin
 * token (its only use at head office), others by that administrator, each signed in through the
 * console's API. Usernames are unique, since the sync suite shares one hub database in CI.
 */
export interface HeadOfficeLogin {
  username: string;
  password: string;
  /** `gl_ho=…`, for a request's cookie header: the console's pages and API take it alike. */
  cookie: string;
  csrf: string;
  userId: string;
}

export const HEAD_OFFICE_TEST_PASSWORD = 'Passw0rd-ho-test';

const unique = (prefix: string) => `${prefix}.${randomBytes(4).toString('hex')}`;

async function json(url: string, path: string, body: unknown, headers: Record<string, string>): Promise<{ ok: boolean; value?: Record<string, unknown>; error?: unknown; setCookie: string }> {
  const response = await fetch(new URL(path, url), { method: 'POST', headers: { 'content-type': 'application/json', origin: new URL(url).origin, ...headers }, body: JSON.stringify(body) });
  return { ...((await response.json()) as { ok: boolean; value?: Record<string, unknown>; error?: unknown }), setCookie: response.headers.get('set-cookie') ?? '' };
}

export async function signInHeadOffice(url: string, username: string, password = HEAD_OFFICE_TEST_PASSWORD): Promise<HeadOfficeLogin> {
  const answer = await json(url, '/console/api/session', { username, password }, {});
  if (!answer.ok) throw new Error(`sign-in of ${username}: ${JSON.stringify(answer.error)}`);
  const value = answer.value as { csrfToken: string; user: { id: string } };
  return { username, password, cookie: answer.setCookie.split(';')[0] ?? '', csrf: value.csrfToken, userId: value.user.id };
}

/** A new 总行管理员 (made with the admin token), signed in. */
export async function headOfficeAdmin(url: string, adminToken: string): Promise<HeadOfficeLogin> {
  const username = unique('ho-admin');
  const created = await json(url, '/admin/head-office/users', { username, displayName: `总行管理员 ${username.slice(-4)}`, role: 'ho_admin', password: HEAD_OFFICE_TEST_PASSWORD }, { authorization: `Bearer ${adminToken}` });
  if (!created.ok) throw new Error(`head-office administrator: ${JSON.stringify(created.error)}`);
  return signInHeadOffice(url, username);
}

/** A 总行审批人 or 总行查看 opened by `admin`, signed in. */
export async function headOfficePerson(url: string, admin: HeadOfficeLogin, role: 'ho_approver' | 'ho_viewer', displayName: string, approvalLimitFen: number | null = null): Promise<HeadOfficeLogin> {
  const username = unique(role === 'ho_approver' ? 'ho-approver' : 'ho-viewer');
  const created = await json(url, '/console/api/users', { username, displayName, role, password: HEAD_OFFICE_TEST_PASSWORD, approvalLimitFen }, { cookie: admin.cookie, 'x-csrf-token': admin.csrf });
  if (!created.ok) throw new Error(`head-office ${role}: ${JSON.stringify(created.error)}`);
  return signInHeadOffice(url, username);
}
