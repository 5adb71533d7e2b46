import { parentPort } from 'node:worker_threads';
import type { ImportDefaults, ImportMapping } from '../../../shared/api/enterprises.ts';
import type { User } from '../../../shared/api/index.ts';
import type { FocusIndustryGroupings } from '../../../shared/codes/focusIndustries.ts';
import { enterpriseColumns } from '../../../db/enterprises.ts';
import type { Row } from '../../../db/records.ts';
import { checkUsccOverride } from '../handlers/enterprises.ts';
import { failure, parseCells } from '../import/importer.ts';
import type { SourceRow } from '../import/table.ts';
import { buildRow, enterpriseImport, parseDefaults, type RowContext } from './importer.ts';

/**
 * The enterprise import's check thread (issue 20): the row checks of the bulk path — cells, the
 * file's rules and schema, the derived columns (pinyin initials) — for every row as if its USCC
 * were new, chunk by chunk, while the host's thread writes the chunks before. What needs the store
 * is left to the host's thread, which finishes each row when its chunk is written (checkThread.ts):
 * `key` is the USCC the row was looked up by; a row without one was refused before any lookup.
 * `first` is the USCC the row was the first of (the repeat check's memory), kept on the host's
 * thread too in case a later chunk must be checked there.
 */
export interface CheckInit {
  mapping: ImportMapping;
  columns: [string, number][];
  defaults: ImportDefaults;
  role: User['role'];
  groupings: FocusIndustryGroupings;
}

export interface CheckedRow {
  key?: string;
  first?: string;
  reasons?: string[];
  columns?: Row;
}

export type CheckReply = { chunk: number; rows: CheckedRow[] } | { chunk: number; error: { name: string; message: string; stack?: string } };

const port = parentPort!;
let state: { init: CheckInit; columns: Map<string, number>; context: RowContext } | undefined;

/** The USCC buildRow looked the current row up by (it looks up only a row that passed the cells and the repeat check). */
let lookedUp: string | undefined;

function checkRow(source: SourceRow): CheckedRow {
  const { init, columns, context } = state!;
  const cells = parseCells(enterpriseImport, source, init.mapping, columns);
  lookedUp = undefined;
  const seen = context.seen.size;
  const keyed = (checked: CheckedRow): CheckedRow => ({
    ...(lookedUp === undefined ? {} : { key: lookedUp }),
    ...(context.seen.size === seen ? {} : { first: cells.values.uscc as string }),
    ...checked,
  });
  try {
    const outcome = buildRow(source, cells, context);
    if (!outcome.ok) return keyed({ reasons: outcome.reasons });
    // As newEnterpriseColumns: the override rule, then the columns; the USCC's being free is the host's thread's.
    checkUsccOverride(init.role, outcome.file, null);
    return keyed({ columns: enterpriseColumns(outcome.file, init.groupings) });
  } catch (error) {
    return keyed(failure(error));
  }
}

port.on('message', (message: { init: CheckInit } | { chunk: number; rows: SourceRow[] }) => {
  if ('init' in message) {
    const { init } = message;
    state = { init, columns: new Map(init.columns), context: { mapping: init.mapping, defaults: parseDefaults(init.defaults), seen: new Map(), lookup: (uscc) => void (lookedUp = uscc) } };
    return;
  }
  let reply: CheckReply;
  try {
    reply = { chunk: message.chunk, rows: message.rows.map(checkRow) };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    reply = { chunk: message.chunk, error: { name: e.name, message: e.message, ...(e.stack === undefined ? {} : { stack: e.stack }) } };
  }
  port.postMessage(reply);
});
