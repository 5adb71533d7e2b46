import { describe, expect, it } from 'vitest';
import type { TFunction } from 'i18next';
import { formatWorkingDuration } from './timing.ts';
import { zhCN } from '../i18n/zh-CN.ts';

// The Chinese resources themselves, interpolated as i18next does: the test reads what a user reads.
const t = ((key: string, params: Record<string, unknown> = {}) => {
  const template = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], zhCN) as string;
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(params[name]));
}) as unknown as TFunction;

describe('step durations as people say them', () => {
  it.each([
    [0, '不到 1 小时'],
    [0.04, '不到 1 小时'],
    [0.05, '1 小时'],
    [0.5, '12 小时'],
    [0.99, '24 小时'],
    [1, '1 个工作日'],
    [2.46, '2.5 个工作日'],
    [12, '12 个工作日'],
  ])('%f working days → %s', (days, text) => {
    expect(formatWorkingDuration(days, t)).toBe(text);
  });
});
