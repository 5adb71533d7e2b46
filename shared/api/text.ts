import { z } from 'zod';

/**
 * Text that can be stored as it was given. JSON and JavaScript strings may carry a lone UTF-16
 * surrogate (`"\ud800"`), but SQLite and PostgreSQL store UTF-8, which cannot: the value would be
 * stored as U+FFFD, so what was hashed, compared or audited is not what is kept. Such strings are
 * refused at every boundary (host API, import cells, sync payloads); the audit chain additionally
 * hashes the normalised text (db/audit.ts) so one that slipped past cannot break the chain.
 */

// With the u flag a paired surrogate is one code point, so only lone halves match.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const LONE_SURROGATES = /[\uD800-\uDFFF]/gu;

export const NOT_WELL_FORMED = 'NOT_WELL_FORMED';

// String#isWellFormed (ES2024; Node 20, Chromium 111) where there is one: a native scan, some times
// faster than the regular expression, which stays for older engines.
const nativeIsWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;

export const isWellFormed: (text: string) => boolean =
  nativeIsWellFormed === undefined ? (text) => !LONE_SURROGATE.test(text) : (text) => nativeIsWellFormed.call(text);

/** What UTF-8 storage keeps of a string: every lone surrogate becomes U+FFFD. */
export const toWellFormed = (text: string): string => text.replace(LONE_SURROGATES, '\uFFFD');

/**
 * The path of the first string (object key or value, at any depth) that is not well-formed, or null.
 * Iterative, so a deeply nested body cannot overflow the stack.
 */
export function malformedTextPath(value: unknown): (string | number)[] | null {
  // Nearly every value is well-formed: a first walk that keeps no paths says so without allocating
  // an entry per value (the hub checks every change of a push page, bench sync.hub_ingest); only a
  // value that holds a lone surrogate is walked again for its path.
  if (allWellFormed(value)) return null;
  // Each entry links to its parent instead of copying the path, so depth costs linear memory.
  type Entry = { value: unknown; key: string | number | null; parent: Entry | null };
  const pathOf = (entry: Entry | null, tail: (string | number)[] = []): (string | number)[] => {
    const reversed = [...tail].reverse();
    for (let at = entry; at !== null && at.key !== null; at = at.parent) reversed.push(at.key);
    return reversed.reverse();
  };
  const stack: Entry[] = [{ value, key: null, parent: null }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    const current = entry.value;
    if (typeof current === 'string') {
      if (!isWellFormed(current)) return pathOf(entry);
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i -= 1) stack.push({ value: current[i], key: i, parent: entry });
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, child] of Object.entries(current)) {
        if (!isWellFormed(key)) return pathOf(entry, [key]);
        stack.push({ value: child, key, parent: entry });
      }
    }
  }
  return null;
}

function allWellFormed(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current === 'string') {
      if (!isWellFormed(current)) return false;
    } else if (Array.isArray(current)) {
      for (const item of current) stack.push(item);
    } else if (typeof current === 'object' && current !== null) {
      for (const key of Object.keys(current)) {
        if (!isWellFormed(key)) return false;
        stack.push((current as Record<string, unknown>)[key]);
      }
    }
  }
  return true;
}

/** A string field that must be well-formed (use where a string is declared outside a checked whole). */
export const wellFormedString = z.string().refine(isWellFormed, { message: NOT_WELL_FORMED });

/**
 * Any JSON value whose every string is well-formed. The host checks each call's whole input with it
 * before the method's own schema, so no string field of any method — present or added later — can
 * be forgotten.
 */
export const wellFormedJson = z.unknown().superRefine(refuseMalformedText);

/** A superRefine step: one issue at the first string (anywhere inside the value) that is not well-formed. */
export function refuseMalformedText(value: unknown, ctx: z.RefinementCtx): void {
  const path = malformedTextPath(value);
  if (path !== null) ctx.addIssue({ code: 'custom', path, message: NOT_WELL_FORMED });
}

// Control characters other than tab, line feed and carriage return (NUL included): never meant in text.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/u;
// Format characters (Unicode Cf): bidirectional overrides and isolates (U+202A–202E, U+2066–2069)
// make `‮gpj.exe` display as `exe.jpg`; zero-width ones hide differences between two names.
const FORMAT = /\p{Cf}/u;

export const NO_CONTROL_CHARACTERS = 'NO_CONTROL_CHARACTERS';
export const NO_FORMAT_CHARACTERS = 'NO_FORMAT_CHARACTERS';

/** Free text a person typed (notes, reasons): well-formed and free of control characters. */
export const plainText = wellFormedString.refine((text) => !CONTROL.test(text), { message: NO_CONTROL_CHARACTERS });

/** A name shown as a label (file names): plain text without format characters either. */
export const displayText = plainText.refine((text) => !FORMAT.test(text), { message: NO_FORMAT_CHARACTERS });
