/**
 * 企业环境信用评价 (enterprise environmental credit rating), issued yearly by the ecology and
 * environment bureau. The national scheme has four plates; some provinces add a black plate for
 * 环保严重失信 (serious breach), so black is a level the app must hold even where it is unused.
 */

export const environmentalRatingLevels = ['green', 'blue', 'yellow', 'red', 'black'] as const;

export type EnvironmentalRatingLevel = (typeof environmentalRatingLevels)[number];

export interface EnvironmentalRatingInfo {
  level: EnvironmentalRatingLevel;
  /** The plate as bureaus publish it (绿牌 …). */
  plate: string;
  zh: string;
  en: string;
  /** Display colour of the plate. */
  colour: string;
  /** Only some provinces issue it. */
  provincialOnly: boolean;
}

/** Best to worst. */
export const environmentalRatings: readonly EnvironmentalRatingInfo[] = [
  { level: 'green', plate: '绿牌', zh: '环保诚信', en: 'Trustworthy', colour: '#2e7d32', provincialOnly: false },
  { level: 'blue', plate: '蓝牌', zh: '环保良好', en: 'Good', colour: '#1565c0', provincialOnly: false },
  { level: 'yellow', plate: '黄牌', zh: '环保警示', en: 'Warning', colour: '#f9a825', provincialOnly: false },
  { level: 'red', plate: '红牌', zh: '环保不良', en: 'Poor', colour: '#c62828', provincialOnly: false },
  { level: 'black', plate: '黑牌', zh: '环保严重失信', en: 'Seriously untrustworthy', colour: '#212121', provincialOnly: true },
];

export function environmentalRatingInfo(level: EnvironmentalRatingLevel): EnvironmentalRatingInfo {
  return environmentalRatings.find((rating) => rating.level === level)!;
}

/**
 * Red or black. Blocks new credit without a manager's override (credit gate) and makes
 * environmental-rights collateral ineligible (Hunan/Ningxia pledge rules).
 */
export function isAdverseRating(level: EnvironmentalRatingLevel): boolean {
  return level === 'red' || level === 'black';
}

/** One rating record as the current-rating rule reads it (the laptop's row and the hub's copy alike). */
export interface RatingRecordFacts {
  id: string;
  level: string;
  /** YYYY-MM-DD, the bureau's date. */
  ratedOn: string;
  /** ISO instant the record was filed. */
  createdAt: string;
  deleted: boolean;
}

/**
 * The rating records are authoritative: an enterprise's current rating is the level of its newest
 * live record — latest rated_on; on one day the later-filed, then the higher id, so that every copy
 * holding the same records agrees — or none. The laptop (db/derived.ts) and the hub
 * (server/ledger.ts) both derive the enterprise's environmental_rating with this function.
 */
export function currentRatingLevel(records: Iterable<RatingRecordFacts>): string | null {
  let newest: RatingRecordFacts | undefined;
  for (const record of records) {
    if (record.deleted) continue;
    if (newest === undefined || compareRecency(record, newest) > 0) newest = record;
  }
  return newest?.level ?? null;
}

/** Code-unit order, as SQLite's BINARY collation and PostgreSQL's "C" order compare these ASCII keys. */
const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const compareRecency = (a: RatingRecordFacts, b: RatingRecordFacts): number => order(a.ratedOn, b.ratedOn) || order(a.createdAt, b.createdAt) || order(a.id, b.id);
