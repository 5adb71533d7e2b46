import { describe, expect, it } from 'vitest';
import { basisPointsToPercent, percentToBasisPoints } from './rate.ts';

describe('rates typed in percent, kept in basis points', () => {
  it.each([
    ['4.35', 435],
    ['4.35%', 435],
    [' 3.1 ', 310],
    ['０.５', 50],
    ['12', 1200],
    ['0', 0],
    ['4.3', 430],
  ])('%s → %i bp', (text, basisPoints) => {
    expect(percentToBasisPoints(text)).toEqual({ ok: true, basisPoints });
  });

  it.each([
    ['', 'blank'],
    [null, 'blank'],
    ['4.355', 'precision'],
    ['-1', 'format'],
    ['四点三五', 'format'],
    ['4,35', 'format'],
    ['1000', 'format'],
  ] as const)('%s is refused (%s)', (text, reason) => {
    expect(percentToBasisPoints(text)).toEqual({ ok: false, reason });
  });

  it.each([
    [435, '4.35'],
    [400, '4.00'],
    [5, '0.05'],
    [0, '0.00'],
  ])('%i bp reads %s', (basisPoints, text) => {
    expect(basisPointsToPercent(basisPoints)).toBe(text);
    expect(percentToBasisPoints(text)).toEqual({ ok: true, basisPoints });
  });
});
