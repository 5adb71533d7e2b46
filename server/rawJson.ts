import { randomBytes } from 'node:crypto';

/**
 * JSON text taken from PostgreSQL as text and sent on as is. A pull page carries thousands of rows
 * of data: parsing each jsonb into objects only to stringify them again was a fifth of the hub's
 * time per page (bench sync.initial_pull).
 */
export class RawJson {
  constructor(readonly text: string) {}

  /** Inside stringifyWithRaw: a marker that is swapped for the text afterwards. */
  toJSON(): unknown {
    if (sink === null) return JSON.parse(this.text) as unknown;
    return `\u0000${sink.nonce}:${sink.texts.push(this.text) - 1}\u0000`;
  }
}

// Set only for the duration of one (synchronous) stringifyWithRaw call.
let sink: { nonce: string; texts: string[] } | null = null;

/**
 * JSON.stringify that writes each RawJson's text in its place. toJSON rather than a replacer: a
 * replacer is called for every key of the answer, toJSON only for the raw values.
 */
export function stringifyWithRaw(value: unknown): string {
  // A marker no real string can hold by accident: NULs around a per-call nonce.
  const current = { nonce: randomBytes(8).toString('hex'), texts: [] as string[] };
  sink = current;
  let json: string;
  try {
    json = JSON.stringify(value);
  } finally {
    sink = null;
  }
  if (current.texts.length === 0) return json;
  return json.replace(new RegExp(`"\\\\u0000${current.nonce}:(\\d+)\\\\u0000"`, 'g'), (_match, index: string) => current.texts[Number(index)] as string);
}
