import dayjs, { type Dayjs } from 'dayjs';
import type { EnterpriseFile, EnterpriseFileInput } from '../../../shared/domain/enterprise.ts';
import { checkUscc } from '../../../shared/domain/uscc.ts';

/**
 * The enterprise form's values. Field names follow the schema's paths under a `file` root, so an
 * issue at ['file', 'identity', 'uscc'] (from the form check or from the host) lands on the field
 * of that name. Dates are Dayjs for the DatePicker; "not recognised" is the level 'none'.
 */
type Level = 'national' | 'provincial';
type LevelChoice = Level | 'none';

export interface RecognitionValues {
  level: LevelChoice;
  year?: number | null;
}

export interface EnterpriseFormValues {
  /** Credit manager's 特批: keep a code whose only fault is the check character. */
  usccOverride: boolean;
  file: {
    identity: {
      uscc: string;
      usccCheckOverride: { reason?: string };
      name?: string;
      legalRepresentative?: string;
      address?: string;
      divisionCode?: string;
      contacts: { name?: string; phone?: string }[];
      industryCode?: string;
      scale?: EnterpriseFile['identity']['scale'];
      ownership?: EnterpriseFile['identity']['ownership'];
      employees?: number | null;
    };
    greenCredentials: {
      greenFactory: RecognitionValues;
      greenPark: RecognitionValues & { name?: string };
      greenSupplyChain: RecognitionValues;
      greenProducts: { name?: string; year?: number | null }[];
      waterEfficiencyBenchmark: RecognitionValues;
      miitRecommendation: { recommended: boolean; date?: Dayjs | null; batch?: string };
    };
    flags: {
      outdatedCapacity: { flagged: boolean; exitDeadline?: Dayjs | null; exitedOn?: Dayjs | null };
      greenList: boolean;
      negativeList: boolean;
    };
  };
}

const DATE = 'YYYY-MM-DD';

const toDay = (date: string | null | undefined): Dayjs | null => (date == null ? null : dayjs(date, DATE));
/** undefined lets the schema say the field is required, instead of an invented value. */
const fromDay = (date: Dayjs | null | undefined): string | undefined => (date == null ? undefined : date.format(DATE));
const orUndefined = <T>(value: T | null | undefined): T | undefined => (value == null ? undefined : value);

function recognition(values: RecognitionValues): { level: Level; year: number | undefined } | null {
  return values.level === 'none' ? null : { level: values.level, year: orUndefined(values.year) };
}

const fromRecognition = (value: { level: Level; year: number } | null): RecognitionValues =>
  value === null ? { level: 'none' } : { level: value.level, year: value.year };

export function emptyFormValues(divisionCode?: string): EnterpriseFormValues {
  return {
    usccOverride: false,
    file: {
      identity: { uscc: '', usccCheckOverride: {}, contacts: [], employees: null, ...(divisionCode !== undefined && { divisionCode }) },
      greenCredentials: {
        greenFactory: { level: 'none' },
        greenPark: { level: 'none' },
        greenSupplyChain: { level: 'none' },
        greenProducts: [],
        waterEfficiencyBenchmark: { level: 'none' },
        miitRecommendation: { recommended: false },
      },
      flags: { outdatedCapacity: { flagged: false }, greenList: false, negativeList: false },
    },
  };
}

export function toFormValues(file: EnterpriseFile): EnterpriseFormValues {
  const { identity, greenCredentials: green, flags } = file;
  const miit = green.miitRecommendation;
  const outdated = flags.outdatedCapacity;
  return {
    usccOverride: identity.usccCheckOverride !== null,
    file: {
      identity: {
        ...identity,
        usccCheckOverride: { reason: identity.usccCheckOverride?.reason },
        contacts: identity.contacts.map((contact) => ({ ...contact })),
      },
      greenCredentials: {
        greenFactory: fromRecognition(green.greenFactory),
        greenPark: green.greenPark === null ? { level: 'none' } : { ...green.greenPark },
        greenSupplyChain: fromRecognition(green.greenSupplyChain),
        greenProducts: green.greenProducts.map((product) => ({ ...product })),
        waterEfficiencyBenchmark: fromRecognition(green.waterEfficiencyBenchmark),
        miitRecommendation: miit.recommended ? { recommended: true, date: toDay(miit.date), batch: miit.batch } : { recommended: false },
      },
      flags: {
        outdatedCapacity: outdated.flagged
          ? { flagged: true, exitDeadline: toDay(outdated.exitDeadline), exitedOn: toDay(outdated.exitedOn) }
          : { flagged: false },
        greenList: flags.greenList,
        negativeList: flags.negativeList,
      },
    },
  };
}

/**
 * The values as the schema's input, unvalidated: the caller parses them with the contract's own
 * schema. The override reason is sent only when it can apply (the code fails on its check
 * character alone), so a manager who ticked 特批 and then fixed the code is not refused for it.
 */
export function fromFormValues(values: EnterpriseFormValues): EnterpriseFileInput {
  const { identity, greenCredentials: green, flags } = values.file;
  const uscc = identity.uscc ?? '';
  const check = checkUscc(uscc);
  const overrideApplies = values.usccOverride && !check.ok && check.reason === 'check';
  const park = green.greenPark;
  const miit = green.miitRecommendation;
  const outdated = flags.outdatedCapacity;
  // Optional text left empty stays undefined/'' so the schema reports it; the cast is for those
  // gaps, which the parse that follows turns into field errors.
  return {
    identity: {
      uscc,
      usccCheckOverride: overrideApplies ? { reason: identity.usccCheckOverride?.reason ?? '' } : null,
      name: identity.name ?? '',
      legalRepresentative: identity.legalRepresentative ?? '',
      address: identity.address ?? '',
      divisionCode: identity.divisionCode ?? '',
      contacts: (identity.contacts ?? []).map((contact) => ({ name: contact.name ?? '', phone: contact.phone ?? '' })),
      industryCode: identity.industryCode ?? '',
      scale: identity.scale,
      ownership: identity.ownership,
      employees: identity.employees ?? null,
    },
    greenCredentials: {
      greenFactory: recognition(green.greenFactory),
      greenPark: park.level === 'none' ? null : { name: park.name ?? '', level: park.level, year: orUndefined(park.year) },
      greenSupplyChain: recognition(green.greenSupplyChain),
      greenProducts: (green.greenProducts ?? []).map((product) => ({ name: product.name ?? '', year: orUndefined(product.year) })),
      waterEfficiencyBenchmark: recognition(green.waterEfficiencyBenchmark),
      miitRecommendation: miit.recommended ? { recommended: true, date: fromDay(miit.date), batch: miit.batch ?? '' } : { recommended: false },
    },
    flags: {
      outdatedCapacity: outdated.flagged
        ? { flagged: true, exitDeadline: fromDay(outdated.exitDeadline), exitedOn: fromDay(outdated.exitedOn) ?? null }
        : { flagged: false },
      greenList: flags.greenList,
      negativeList: flags.negativeList,
    },
  } as EnterpriseFileInput;
}
