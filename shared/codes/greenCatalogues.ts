import { z } from 'zod';
import catalogue2021 from './greenCatalogue2021.json' with { type: 'json' };
import catalogue2025 from './greenCatalogue2025.json' with { type: 'json' };

/**
 * The green catalogues a tag is coded under. 《绿色金融支持项目目录（2025年版）》 is in force from
 * 2025-10-01; loans approved before then keep their tag under the prior catalogue, which the app holds
 * as 《绿色债券支持项目目录（2021年版）》 (银发〔2021〕96号). Both files are copies of
 * /work/shared/reference/ with their sources and gaps inside: the app ships the 2025 catalogue's 9
 * level-1 categories only (no stored source had levels 2 and 3), and head office publishes the deeper
 * levels as the reference set `green-catalogue-2025` (the schema below), so the app works with
 * whatever depth is in force. A tag always names catalogue version + code.
 */

export const catalogueVersions = ['2021', '2025'] as const;
export type CatalogueVersion = (typeof catalogueVersions)[number];
export const catalogueVersionSchema = z.enum(catalogueVersions);

/** Day each catalogue came into force (a local date, Asia/Shanghai). */
export const catalogueEffective: Record<CatalogueVersion, string> = { '2021': catalogue2021.effective, '2025': catalogue2025.effective };

/** Catalogue codes are dotted numbers: 1, 1.1, 1.1.1, 1.1.1.10. */
export const catalogueCodeSchema = z.string().trim().regex(/^[1-9]\d{0,2}(?:\.[1-9]\d{0,2}){0,3}$/);

export const catalogueEntrySchema = z.strictObject({
  code: catalogueCodeSchema,
  /** null where the source has the code but not its name (2021 level 2). */
  name: z.string().trim().min(1).max(200).nullable(),
  level: z.int().min(1).max(4),
  parent: catalogueCodeSchema.nullable(),
});
export type CatalogueEntry = z.infer<typeof catalogueEntrySchema>;

/**
 * A catalogue as head office publishes it (reference set `green-catalogue-<version>`): the entries
 * imported from its .xlsx (code, name, level, parent) and the document they come from. Each entry's
 * level must match its code's depth and its parent must be in the set (or be a shipped level-1
 * category), so a mis-keyed spreadsheet is refused at the hub naming the row.
 */
export const publishedCatalogueSchema = z
  .strictObject({
    source: z.string().trim().min(1).max(300),
    entries: z.array(catalogueEntrySchema).min(1).max(5000),
  })
  // Each rule's issue carries `params.rule` and its codes, so a reader can word it in its own language (server/catalogueWorkbook.ts).
  .superRefine((catalogue, ctx) => {
    const codes = new Set(catalogue.entries.map((entry) => entry.code));
    const seen = new Set<string>();
    catalogue.entries.forEach((entry, index) => {
      const path = ['entries', index];
      if (seen.has(entry.code)) ctx.addIssue({ code: 'custom', path: [...path, 'code'], message: `duplicate code ${entry.code}`, input: entry.code, params: { rule: 'duplicate', code: entry.code } });
      seen.add(entry.code);
      if (codeDepth(entry.code) !== entry.level) ctx.addIssue({ code: 'custom', path: [...path, 'level'], message: `level ${entry.level} does not match code ${entry.code}`, input: entry.level, params: { rule: 'level', code: entry.code, level: entry.level } });
      const expectedParent = parentCode(entry.code);
      if (entry.parent !== expectedParent) ctx.addIssue({ code: 'custom', path: [...path, 'parent'], message: `the parent of ${entry.code} is ${expectedParent ?? 'none'}`, input: entry.parent, params: { rule: 'parent', code: entry.code, parent: expectedParent } });
      else if (expectedParent !== null && !codes.has(expectedParent) && codeDepth(expectedParent) > 1) {
        ctx.addIssue({ code: 'custom', path: [...path, 'parent'], message: `parent ${expectedParent} is not in the set`, input: entry.parent, params: { rule: 'missingParent', parent: expectedParent } });
      }
    });
  });
export type PublishedCatalogue = z.infer<typeof publishedCatalogueSchema>;

/** The reference-set name head office publishes a catalogue's deeper levels under. */
export function catalogueReferenceSetName(version: CatalogueVersion): string {
  return `green-catalogue-${version}`;
}

export function codeDepth(code: string): number {
  return code.split('.').length;
}

export function parentCode(code: string): string | null {
  const cut = code.lastIndexOf('.');
  return cut < 0 ? null : code.slice(0, cut);
}

export interface Catalogue {
  version: CatalogueVersion;
  title: string;
  effective: string;
  /** Where the entries come from: the shipped file's source, plus head office's publication if any. */
  sources: string[];
  entries: readonly CatalogueEntry[];
  /** Codes the source is known to lack (2021: 4.2.1.4, 5.4.2, 5.5.2): a tag under one is still valid, its name unknown. */
  knownGaps: readonly string[];
}

const shippedEntries = (entries: readonly { code: string; name: string | null; level: number; parent: string | null }[]): CatalogueEntry[] =>
  entries.map(({ code, name, level, parent }) => ({ code, name, level, parent }));

export const shippedCatalogues: Record<CatalogueVersion, Catalogue> = {
  '2021': {
    version: '2021',
    title: catalogue2021.catalogue,
    effective: catalogue2021.effective,
    sources: [catalogue2021.document, catalogue2021.source_repo],
    entries: shippedEntries(catalogue2021.entries),
    knownGaps: ['4.2.1.4', '5.4.2', '5.5.2'],
  },
  '2025': {
    version: '2025',
    title: catalogue2025.catalogue,
    effective: catalogue2025.effective,
    sources: [`${catalogue2025.issuers.join('、')}，${catalogue2025.document_number}（文号待核实）`],
    entries: shippedEntries(catalogue2025.entries),
    knownGaps: [],
  },
};

/**
 * The catalogue in force on this installation: the shipped entries, and head office's published
 * entries on top (a published name replaces a shipped null or a mis-parsed one; shipped level-1
 * categories stay even if a publication leaves them out).
 */
export function catalogueWith(version: CatalogueVersion, published: PublishedCatalogue | undefined): Catalogue {
  const shipped = shippedCatalogues[version];
  if (published === undefined) return shipped;
  const byCode = new Map(shipped.entries.map((entry) => [entry.code, entry]));
  for (const entry of published.entries) byCode.set(entry.code, entry);
  const entries = [...byCode.values()].sort((a, b) => compareCodes(a.code, b.code));
  return { ...shipped, sources: [...shipped.sources, published.source], entries };
}

/** 1.2 before 1.10: codes compare number by number. */
export function compareCodes(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i += 1) {
    const d = (x[i] ?? -1) - (y[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

export type CodeLookup =
  | { ok: true; entry: CatalogueEntry; gap: false }
  | { ok: true; entry: { code: string; name: null; level: number; parent: string | null }; gap: true }
  | { ok: false; reason: 'format' | 'unknown' };

/** A tag's code under its catalogue: known, a known gap of the source, or not in the catalogue. */
export function lookupCode(catalogue: Catalogue, code: string): CodeLookup {
  if (!catalogueCodeSchema.safeParse(code).success) return { ok: false, reason: 'format' };
  const entry = catalogue.entries.find((candidate) => candidate.code === code);
  if (entry !== undefined) return { ok: true, entry, gap: false };
  if (catalogue.knownGaps.includes(code)) return { ok: true, entry: { code, name: null, level: codeDepth(code), parent: parentCode(code) }, gap: true };
  return { ok: false, reason: 'unknown' };
}

/** The catalogue in force on a day: a loan approved (or an application opened) that day is tagged under it. */
export function catalogueInForce(date: string): CatalogueVersion | null {
  const inForce = catalogueVersions.filter((version) => catalogueEffective[version] <= date);
  return inForce.length === 0 ? null : inForce[inForce.length - 1]!;
}

export type CatalogueVersionCheck = { ok: true } | { ok: false; reason: 'supersededAtApproval'; inForce: CatalogueVersion };

/**
 * Whether a tag may name this catalogue for a loan approved on `approvedOn`: the catalogue in force
 * that day, or a later one (a loan may be re-tagged under the new catalogue). A loan approved under
 * the 2021 catalogue keeps its 2021 tag after 2025-10-01; a loan approved after that day cannot be
 * tagged under 2021. A loan approved before 2021-07-01 is tagged under the oldest catalogue the app
 * holds (the earlier catalogues are not shipped).
 */
export function checkCatalogueVersion(version: CatalogueVersion, approvedOn: string): CatalogueVersionCheck {
  const inForce = catalogueInForce(approvedOn);
  if (inForce === null) return { ok: true };
  if (catalogueVersions.indexOf(version) >= catalogueVersions.indexOf(inForce)) return { ok: true };
  return { ok: false, reason: 'supersededAtApproval', inForce };
}
