import { describe, expect, it } from 'vitest';
import { environmentalRatingInfo, environmentalRatingLevels, environmentalRatings, isAdverseRating } from './environmentalRating.ts';

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
});
