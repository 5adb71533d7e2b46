import { describe, expect, it } from 'vitest';
import { currentRatingLevel, environmentalRatingInfo, environmentalRatingLevels, environmentalRatings, isAdverseRating, type RatingRecordFacts } from './environmentalRating.ts';

describe('environmental credit rating', () => {
  it.each([
    ['green', false, '环保诚信', '绿牌'],
    ['blue', false, '环保良好', '蓝牌'],
    ['yellow', false, '环保警示', '黄牌'],
    ['red', true, '环保不良', '红牌'],
    ['black', true, '环保严重失信', '黑牌'],
  ] as const)('%s: adverse %s, %s (%s)', (level, adverse, zh, plate) => {
    expect(isAdverseRating(level)).toBe(adverse);
    expect(environmentalRatingInfo(level)).toMatchObject({ level, zh, plate });
  });

  it('lists every level once, best to worst, with only black provincial', () => {
    expect(environmentalRatings.map((r) => r.level)).toEqual([...environmentalRatingLevels]);
    expect(environmentalRatings.filter((r) => r.provincialOnly).map((r) => r.level)).toEqual(['black']);
  });

  const record = (id: string, level: string, ratedOn: string, createdAt = '2026-01-01T00:00:00.000Z', deleted = false): RatingRecordFacts => ({ id, level, ratedOn, createdAt, deleted });
  it.each([
    ['no records', [], null],
    ['only deleted records', [record('a', 'red', '2026-01-01', undefined, true)], null],
    ['the latest rated_on wins over a later-filed older rating', [record('a', 'blue', '2026-03-01', '2026-01-01T00:00:00.000Z'), record('b', 'red', '2025-12-01', '2026-06-01T00:00:00.000Z')], 'blue'],
    ['on one day the later-filed record', [record('b', 'green', '2026-03-01', '2026-03-02T00:00:00.000Z'), record('a', 'yellow', '2026-03-01', '2026-03-05T00:00:00.000Z')], 'yellow'],
    ['filed at the same instant, the higher id', [record('b', 'green', '2026-03-01'), record('a', 'yellow', '2026-03-01')], 'green'],
    ['a deleted newest record leaves the one before', [record('a', 'blue', '2025-01-01'), record('b', 'black', '2026-01-01', undefined, true)], 'blue'],
  ] as const)('current rating: %s', (_case, records, expected) => {
    expect(currentRatingLevel(records)).toBe(expected);
    expect(currentRatingLevel([...records].reverse())).toBe(expected);
  });
});
