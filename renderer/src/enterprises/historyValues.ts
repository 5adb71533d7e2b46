import type { TFunction } from 'i18next';
import type { EnvironmentalRatingLevel } from '../../../shared/domain/environmentalRating.ts';
import { divisionLabel, focusGroupLabel, industryLabel, ratingLabel } from './labels.ts';

/**
 * Derived columns (recomputed from the name) and the link of a rating, financial year or attachment
 * to this very file: not something anyone changed, and a raw id to an officer.
 */
const hiddenFields = new Set(['name_initials', 'enterprise_id', 'owner_id']);
const flagFields = new Set(['miit_recommended', 'outdated_capacity', 'green_list', 'negative_list']);

const parsed = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
};

/**
 * An audited column value as an officer reads it: the plate, not "blue"; 中型, not "medium"; the
 * contacts, not their JSON. The audit screen keeps showing raw values.
 */
export function historyValue(field: string, value: unknown, t: TFunction, language: string): string {
  if (value === null || value === undefined || value === '') return '—';
  const recognition = (v: { level: string; year: number }) => t('enterprises.detail.recognition', { level: t(`enterprises.levels.${v.level}`), year: v.year });
  switch (field) {
    case 'environmental_rating':
    case 'level': // an enterprise_ratings row's result
      return ratingLabel(value as EnvironmentalRatingLevel, t, language);
    case 'choice': // how a sync conflict was resolved
      return t(`history.choice.${String(value)}`, { defaultValue: String(value) });
    case 'scale':
      return t(`enterprises.scales.${String(value)}`);
    case 'ownership':
      return t(`enterprises.ownership.${String(value)}`);
    case 'focus_group':
      return focusGroupLabel(String(value), language) ?? '—';
    case 'green_factory_level':
      return t(`enterprises.levels.${String(value)}`);
    case 'industry_code':
      return industryLabel(String(value));
    case 'division_code':
      return divisionLabel(String(value));
    case 'contacts': {
      const contacts = parsed(value) as { name: string; phone: string }[];
      return Array.isArray(contacts) && contacts.length > 0 ? contacts.map((c) => `${c.name} ${c.phone}`).join('；') : '—';
    }
    case 'green_products': {
      const products = parsed(value) as { name: string; year: number }[];
      return Array.isArray(products) && products.length > 0 ? products.map((p) => `${p.name}（${p.year}）`).join('；') : '—';
    }
    case 'green_park': {
      const park = parsed(value) as { name: string; level: string; year: number };
      return t('enterprises.detail.park', { name: park.name, level: t(`enterprises.levels.${park.level}`), year: park.year });
    }
    case 'green_supply_chain':
    case 'water_benchmark':
      return recognition(parsed(value) as { level: string; year: number });
  }
  if (flagFields.has(field)) return value === 1 || value === true ? t('enterprises.form.yes') : t('enterprises.form.no');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The changed columns of an audit entry worth showing, in the order they were recorded. */
export function shownFields(before: Record<string, unknown> | null, after: Record<string, unknown> | null): string[] {
  return [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].filter((field) => !hiddenFields.has(field));
}

export function isEmptyValue(value: unknown): boolean {
  return value === null || value === undefined || value === '' || value === '[]' || value === 0 || value === false;
}
