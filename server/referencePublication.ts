import { publishReferenceRequestSchema, referenceNameSchema } from '../shared/sync/admin.ts';
import { referenceSetSchemaOf } from '../shared/sync/referenceSets.ts';
import { parseWith } from './errors.ts';

/**
 * A reference set's publication as the admin API (server/hub.ts) and the head-office console
 * (server/headOfficeApp.ts) both take it: the set's name, the body, and the data checked against the
 * set's own schema where the app knows its shape.
 */
export function parseReferencePublication(rawName: unknown, rawBody: unknown) {
  const name = parseWith(referenceNameSchema, rawName, 'reference set name');
  const { data } = parseWith(publishReferenceRequestSchema, rawBody, 'reference set');
  const known = referenceSetSchemaOf(name);
  if (known !== undefined) parseWith(known, data, `reference set ${name}`);
  return { name, data };
}
