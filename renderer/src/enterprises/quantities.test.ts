import { describe, expect, it } from 'vitest';
import { quantitySchema } from '../../../shared/domain/enterprise.ts';
import { debtRatio, formatQuantity, quantityInput, yuanInput } from './quantities.ts';

describe('quantities and money as typed', () => {
  it.each([
    ['', null],
    ['  ', null],
    ['1234.5', '1234.5'],
    ['1,234.5', '1234.5'],
    ['１２３', '123'],
    ['12,34', '12,34'], // mis-grouped: left for the schema to refuse
  ])('quantityInput(%j) → %j', (typed, sent) => {
    expect(quantityInput(typed)).toBe(sent);
  });

  it('refuses what the schema refuses, after folding', () => {
    expect(quantitySchema.safeParse(quantityInput('12,34')).success).toBe(false);
    expect(quantitySchema.safeParse(quantityInput('1,234.5678')).success).toBe(true);
  });

  it('groups the digits of an exact quantity without touching its decimals', () => {
    expect(formatQuantity('1234567.0001')).toBe('1,234,567.0001');
    expect(formatQuantity('0.5')).toBe('0.5');
    expect(formatQuantity(null)).toBe('—');
  });

  it('reads 元 into fen, and says why it cannot', () => {
    expect(yuanInput('12,345,678.90')).toEqual({ ok: true, fen: 1234567890 });
    expect(yuanInput('')).toEqual({ ok: false, reason: 'blank' });
    expect(yuanInput('1.234')).toEqual({ ok: false, reason: 'precision' });
    expect(yuanInput('一百')).toEqual({ ok: false, reason: 'format' });
  });

  it('computes the debt ratio in integers, rounded to 0.1%', () => {
    expect(debtRatio(2, 3)).toBe('66.7%');
    expect(debtRatio(0, 100)).toBe('0.0%');
    expect(debtRatio(5, 0)).toBeNull();
  });
});
