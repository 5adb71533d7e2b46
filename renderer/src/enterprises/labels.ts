import type { TFunction } from 'i18next';
import { industries, industryByCode, isValidIndustryCode, nearestIndustry } from '../../../shared/codes/industries.ts';
import { defaultFocusIndustryGroupings, focusGroupOf, type FocusIndustryGroup } from '../../../shared/codes/focusIndustries.ts';
import { environmentalRatingInfo, environmentalRatings, type EnvironmentalRatingLevel } from '../../../shared/domain/environmentalRating.ts';
import { enterpriseScales, ownershipTypes } from '../../../shared/domain/enterprise.ts';
import { checkDivisionCode, provinceName } from '../../../shared/domain/division.ts';

/**
 * Display labels for the enterprise file. Reference data (industries, focus groups, plates) carries
 * its own zh/en names; everything else comes from the i18n resources.
 */

const isEnglish = (language: string) => language.startsWith('en');

/** The grouping in force. Head office will publish replacements; until then the shipped one. */
export const focusGroupings = defaultFocusIndustryGroupings;

export function focusGroupLabel(key: string | null | undefined, language: string): string | null {
  if (key === null || key === undefined) return null;
  const group = focusGroupings.groups.find((g) => g.key === key);
  if (group === undefined) return key;
  return isEnglish(language) ? group.en : group.zh;
}

export function focusGroupForIndustry(code: string | undefined): FocusIndustryGroup | undefined {
  return code === undefined || code === '' ? undefined : focusGroupOf(code, focusGroupings);
}

export function focusGroupOptions(language: string) {
  return focusGroupings.groups.map((group) => ({ value: group.key, label: isEnglish(language) ? group.en : group.zh }));
}

/**
 * "C3021 水泥制品制造" for a shipped entry. A class the shipped table does not list yet shows the
 * nearest entry above it, "C3012 · C301 水泥、石灰和石膏制造", so the group's name is never passed
 * off as the class's own.
 */
export function industryLabel(code: string): string {
  const exact = industryByCode(code);
  if (exact !== undefined) return `${code} ${exact.name}`;
  const near = nearestIndustry(code);
  return near === undefined ? code : `${code} · ${near.code} ${near.name}`;
}

export interface IndustryOption {
  value: string;
  label: string;
  /** Searched by the Select: code and name. */
  search: string;
}

/**
 * Options for the industry picker: divisions, groups and classes (a section alone does not place
 * an enterprise). A code typed in the search box that the shipped table does not list but the
 * standard allows (a class under a group whose classes are not shipped, e.g. C3012) is offered too.
 */
export function industryOptions(search: string, includeSections = false, current?: string): IndustryOption[] {
  const options = industries
    .filter((industry) => includeSections || industry.level !== 'section')
    .map((industry) => ({ value: industry.code, label: `${industry.code} ${industry.name}`, search: `${industry.code} ${industry.name}` }));
  // The code being typed, and the one already chosen, even when the shipped table does not list it.
  for (const code of new Set([search.trim().toUpperCase(), current ?? ''])) {
    if (code !== '' && isValidIndustryCode(code) && industryByCode(code) === undefined && (includeSections || code.length > 1)) {
      options.unshift({ value: code, label: industryLabel(code), search: `${code} ${industryLabel(code)}` });
    }
  }
  return options;
}

export function ratingLabel(level: EnvironmentalRatingLevel, t: TFunction, language: string): string {
  const info = environmentalRatingInfo(level);
  return isEnglish(language) ? `${t(`enterprises.plates.${level}`)} · ${info.en}` : `${info.plate} ${info.zh}`;
}

export const ratingLevels = environmentalRatings.map((rating) => rating.level);

/** Text colour that stays readable on the plate colour (yellow needs dark text). */
export function plateTextColour(level: EnvironmentalRatingLevel): string {
  return level === 'yellow' ? '#3e2f00' : '#ffffff';
}

export function scaleOptions(t: TFunction) {
  return enterpriseScales.map((scale) => ({ value: scale, label: t(`enterprises.scales.${scale}`) }));
}

export function ownershipOptions(t: TFunction) {
  return ownershipTypes.map((ownership) => ({ value: ownership, label: t(`enterprises.ownership.${ownership}`) }));
}

/**
 * The county a code names and the region above it (「浮梁县」, 「江西省 景德镇市」) from the shipped
 * division list; a code the list does not hold (an old file) keeps at least its province.
 */
export function divisionNames(code: string): { county: string | null; region: string } {
  const result = checkDivisionCode(code);
  if (!result.ok) return { county: null, region: provinceName(code) ?? '' };
  const { province, prefecture, county } = result.names;
  return { county, region: prefecture === null ? province : `${province} ${prefecture}` };
}

/** 「360222 浮梁县（江西省 景德镇市）」. */
export function divisionLabel(code: string): string {
  const { county, region } = divisionNames(code);
  if (county === null) return region === '' ? code : `${code} · ${region}`;
  return `${code} ${county}（${region}）`;
}
