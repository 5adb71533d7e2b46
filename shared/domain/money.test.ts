import { describe, expect, it } from 'vitest';
import { fenSchema, formatWanYuan, formatYuan, nonNegativeFenSchema, yuanToFen } from './money.ts';

describe('yuanToFen', () => {
  it.each([
    ['0', 0],
    ['0.01', 1],
    ['0.1', 10],
    ['0.10', 10],
    ['1', 100],
    ['12.5', 1250],
    ['1234.56', 123456],
    ['1,234.56', 123456],
    ['12,345,678.90', 1234567890],
    ['-0.01', -1],
    ['-1,234.56', -123456],
    ['-0', 0],
    ['-0.00', 0],
    ['  88.80 ', 8880],
    ['８８.８', 8880], // full-width digits from a Chinese IME
    ['0.29', 29], // 0.29 * 100 is 28.999999999999996 in floating point
    ['1.15', 115], // 1.15 * 100 is 114.99999999999999
    ['90071992547409.91', Number.MAX_SAFE_INTEGER],
    ['007', 700],
  ])('%j → %i fen', (text, fen) => {
    const result = yuanToFen(text);
    expect(result).toEqual({ ok: true, fen });
    if (result.ok) expect(Object.is(result.fen, -0)).toBe(false);
  });

  it.each([
    ['1.234', 'precision'],
    ['0.001', 'precision'],
    ['1.230', 'precision'],
    ['-5.999', 'precision'],
    ['90071992547409.92', 'range'],
    ['100000000000000000', 'range'],
    ['', 'format'],
    ['-', 'format'],
    ['.5', 'format'],
    ['5.', 'format'],
    ['1,23.45', 'format'],
    ['1234,567', 'format'],
    [',123', 'format'],
    ['+1', 'format'],
    ['1e3', 'format'],
    ['1 000', 'format'],
    ['¥100', 'format'],
    ['100元', 'format'],
    ['NaN', 'format'],
    ['Infinity', 'format'],
    ['--1', 'format'],
  ] as const)('%j is rejected: %s', (text, reason) => {
    expect(yuanToFen(text)).toEqual({ ok: false, reason });
  });
});

describe('formatYuan', () => {
  it.each([
    [0, '0.00'],
    [1, '0.01'],
    [10, '0.10'],
    [100, '1.00'],
    [-1, '-0.01'],
    [-99, '-0.99'],
    [123456, '1,234.56'],
    [-123456, '-1,234.56'],
    [100000000, '1,000,000.00'],
    [99999999, '999,999.99'],
    [Number.MAX_SAFE_INTEGER, '90,071,992,547,409.91'],
    [-Number.MAX_SAFE_INTEGER, '-90,071,992,547,409.91'],
  ])('%i fen → %s', (fen, text) => {
    expect(formatYuan(fen)).toBe(text);
  });

  it('round-trips through yuanToFen', () => {
    for (const fen of [0, 1, -1, 5, 99, 100, 123456, -98765432, Number.MAX_SAFE_INTEGER]) {
      expect(yuanToFen(formatYuan(fen))).toEqual({ ok: true, fen });
    }
  });

  it.each([[0.5], [Number.NaN], [Number.POSITIVE_INFINITY], [2 ** 53]])('refuses %d, which is not a fen amount', (fen) => {
    expect(() => formatYuan(fen)).toThrow(RangeError);
  });
});

describe('formatWanYuan', () => {
  it.each([
    [0, 2, '0.00'],
    [1_000_000, 2, '1.00'], // 10,000 元
    [123_456_789, 2, '123.46'], // 1,234,567.89 元
    [123_449_999, 2, '123.45'],
    [5_000, 2, '0.01'], // 50 元: half rounds up
    [4_999, 2, '0.00'],
    [-5_000, 2, '-0.01'], // half away from zero
    [-4_999, 2, '0.00'], // not -0.00
    [-1, 2, '0.00'],
    [1_234_567_890_000, 2, '1,234,567.89'],
    [1_234_567_890_000, 0, '1,234,568'],
    [123_456_789, 4, '123.4568'],
    [123_456_789, 6, '123.456789'],
    [Number.MAX_SAFE_INTEGER, 2, '9,007,199,254.74'],
  ])('%i fen, %i decimals → %s 万元', (fen, decimals, text) => {
    expect(formatWanYuan(fen, decimals)).toBe(text);
  });

  it('defaults to two decimals and refuses bad arguments', () => {
    expect(formatWanYuan(150_000_000)).toBe('150.00');
    expect(() => formatWanYuan(1.5)).toThrow(RangeError);
    expect(() => formatWanYuan(1, 7)).toThrow(RangeError);
    expect(() => formatWanYuan(1, 1.5)).toThrow(RangeError);
  });
});

describe('fen schemas', () => {
  it('accept safe integers only', () => {
    expect(fenSchema.safeParse(-123).success).toBe(true);
    expect(fenSchema.safeParse(1.5).success).toBe(false);
    expect(fenSchema.safeParse(2 ** 53).success).toBe(false);
    expect(fenSchema.safeParse('100').success).toBe(false);
    expect(nonNegativeFenSchema.safeParse(0).success).toBe(true);
    expect(nonNegativeFenSchema.safeParse(-1).success).toBe(false);
  });
});
