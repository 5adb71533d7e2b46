import type { TFunction } from 'i18next';
import { checkUscc, normalizeUscc, USCC_LENGTH, type UsccFailure } from '../../../shared/domain/uscc.ts';

/**
 * What the USCC box says while someone types: nothing yet, how far they are, a fault already
 * visible in what they typed (a forbidden letter at position 9 is wrong whatever follows), or the
 * verdict once all 18 characters are in.
 */
export type UsccHint =
  | { state: 'empty' }
  | { state: 'typing'; length: number }
  | { state: 'ok' }
  | { state: 'error'; failure: UsccFailure };

/** Filler that is valid in every position, so only the typed characters can fail the probe. */
const FILLER = '91000000000000000';

export function usccHint(input: string): UsccHint {
  const code = normalizeUscc(input);
  if (code === '') return { state: 'empty' };
  if (code.length >= USCC_LENGTH) {
    const result = checkUscc(code);
    return result.ok ? { state: 'ok' } : { state: 'error', failure: result };
  }
  // Complete the prefix with filler and keep only faults that lie in the typed part.
  const probe = checkUscc(code + FILLER.slice(code.length) + '0');
  if (!probe.ok && 'position' in probe && probe.position <= code.length) return { state: 'error', failure: probe };
  return { state: 'typing', length: code.length };
}

/** The USCC reasons (shared/domain/uscc.ts) plus the override rule of the identity schema. */
const usccReasons = new Set(['length', 'charset', 'authority', 'division', 'check', 'overrideNotNeeded']);

export function isUsccIssueParams(params: unknown): params is { reason: string } & Record<string, unknown> {
  return typeof params === 'object' && params !== null && usccReasons.has(String((params as { reason?: unknown }).reason));
}

/**
 * A USCC fault in the UI language, from a checkUscc failure or from the `params` of a schema issue
 * (the two carry the same fields: reason, expected, position, character, length).
 */
export function usccFailureText(params: { reason: string } & Record<string, unknown>, t: TFunction): string {
  return t(`enterprises.uscc.${params.reason}`, params);
}
