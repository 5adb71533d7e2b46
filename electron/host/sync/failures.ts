import { HostFailure } from '../context.ts';
import { SyncFailure } from './engine.ts';

/**
 * A failed hub call as the host's answer. While enrolling, what the person typed is the likely
 * fault, so the field is marked with the reason: the code (unknown, used or expired; too many
 * tries) or the address (nothing answers there; what answers is not a hub). Anything else is
 * HUB_ERROR with the hub's code — never HOST_UNAVAILABLE, which means the local service is gone.
 */
export async function asHostFailure<T>(work: () => Promise<T>, enrolling = false): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof SyncFailure)) throw error;
    const { code, message, details } = error.error;
    const field = enrolling ? enrollmentField[code] : undefined;
    if (field !== undefined) throw new HostFailure('VALIDATION', message, { syncCode: code, issues: [{ path: [field[0]], code: field[1], message: field[1] }] });
    // A decision refused because someone decided first or the row moved on is a conflict, said so;
    // so is a hub call on a laptop that is not enrolled (no hub was asked: not a gateway error).
    if (conflictCodes.has(code)) throw new HostFailure('CONFLICT', message, { syncCode: code });
    throw new HostFailure('HUB_ERROR', message, { syncCode: code, ...(typeof details?.clockSkewMs === 'number' && { clockSkewMs: details.clockSkewMs }) });
  }
}

const conflictCodes = new Set(['CONFLICT', 'CONFLICT_ALREADY_RESOLVED', 'ROW_CHANGED', 'NOT_ENROLLED']);

const enrollmentField: Partial<Record<string, [field: 'hubUrl' | 'code', reason: string]>> = {
  ENROLLMENT_INVALID: ['code', 'ENROLLMENT_INVALID'],
  RATE_LIMITED: ['code', 'ENROLLMENT_RATE_LIMITED'],
  HUB_UNREACHABLE: ['hubUrl', 'HUB_UNREACHABLE'],
  HUB_BAD_ANSWER: ['hubUrl', 'HUB_NOT_A_HUB'],
};
