/**
 * A row's field_hlc (field → HLC of the write that set it) as sync_rows stores it: the fields grouped
 * by HLC, `{"<hlc>": ["name", "scale", …]}`. Every field of a new row carries its insert's HLC, and the
 * plain map repeated that ~50-character stamp once per field: twice the size of the row's data, the
 * largest part of the text a push page hands to PostgreSQL (bench sync.upload). Rows stored before
 * are in the plain form `{"name": "<hlc>"}`, and a row may mix both: a string value names its field by
 * the key, an array value lists the fields of the HLC in the key. An HLC (ms:counter:node) is never a
 * field name (snake_case), so the two cannot be confused.
 */
export type StoredFieldHlc = Record<string, string | string[]>;

export function packFieldHlc(fieldHlc: Record<string, string>): StoredFieldHlc {
  const packed: Record<string, string[]> = {};
  for (const field in fieldHlc) (packed[fieldHlc[field] as string] ??= []).push(field);
  return packed;
}

export function unpackFieldHlc(stored: StoredFieldHlc): Record<string, string> {
  const fieldHlc: Record<string, string> = {};
  for (const key in stored) {
    const value = stored[key] as string | string[];
    if (typeof value === 'string') fieldHlc[key] = value;
    else for (const field of value) fieldHlc[field] = key;
  }
  return fieldHlc;
}
