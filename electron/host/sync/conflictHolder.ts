import type { Db } from '../../../db/open.ts';
import type { Conflict } from '../../../shared/sync/protocol.ts';

/** Head office's edits carry `head-office:<user>` as their client id (older hubs: 'hub'). */
export const isHeadOffice = (clientId: string | undefined): boolean => clientId === 'hub' || (clientId?.startsWith('head-office:') ?? false);

/** Whose held edit a conflict is: this laptop's, head office's (held for the branch), or another laptop's. */
export function conflictHeldFor(conflict: Conflict, thisClientId: string): 'this' | 'head-office' | 'device' {
  return conflict.mine.clientId === thisClientId ? 'this' : isHeadOffice(conflict.mine.clientId) ? 'head-office' : 'device';
}

/**
 * Whether this laptop decides the conflict: its own held edit, or head office's held for the
 * branch. Another laptop's held edit is decided on that laptop, where the person who made it knows
 * why (sync.resolve refuses it here; the panel only shows it).
 */
export const decidedHere = (heldFor: ReturnType<typeof conflictHeldFor>): boolean => heldFor !== 'device';

/** Open conflicts this laptop is to decide (oldest first): what the header and the 工作台 ask the user to look at. */
export function openConflictsToDecide(db: Db): Conflict[] {
  const clientId = db.prepare('SELECT client_id FROM device').pluck().get() as string | undefined;
  if (clientId === undefined) return [];
  const open = db.prepare(`SELECT conflict FROM sync_conflicts WHERE status = 'open' ORDER BY seq`).pluck().all() as string[];
  return open.map((text) => JSON.parse(text) as Conflict).filter((conflict) => decidedHere(conflictHeldFor(conflict, clientId)));
}

/** How many open conflicts this laptop is to decide. */
export function conflictsToDecide(db: Db): number {
  return openConflictsToDecide(db).length;
}
