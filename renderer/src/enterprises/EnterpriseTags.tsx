import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { environmentalRatingInfo, type EnvironmentalRatingLevel } from '../../../shared/domain/environmentalRating.ts';
import { plateTextColour, ratingLabel } from './labels.ts';
import './enterprises.css';

/** An environmental credit rating as the bureau's coloured plate (绿牌 环保诚信 …). */
export function RatingPlate({ level }: { level: EnvironmentalRatingLevel | null }) {
  const { t, i18n } = useTranslation();
  if (level === null) return <span style={{ color: 'rgba(0,0,0,0.45)' }}>{t('enterprises.rating.none')}</span>;
  const info = environmentalRatingInfo(level);
  const label = ratingLabel(level, t, i18n.language);
  return (
    <span className="gl-plate" title={label} style={{ background: info.colour, color: plateTextColour(level) }} data-testid="rating-plate">
      {label}
    </span>
  );
}

export interface FlagValues {
  outdatedCapacity: boolean;
  negativeList: boolean;
  greenList: boolean;
  miitRecommended: boolean;
  greenFactoryLevel: 'national' | 'provincial' | null;
  /** Set on the detail page: an outdated-capacity deadline passed without an exit. */
  overdue?: boolean;
}

/** The flags' names, for a cell too narrow to show every tag. */
export function flagNames(flags: FlagValues, t: (key: string) => string): string {
  return [
    flags.outdatedCapacity && t('enterprises.flags.outdatedCapacity'),
    flags.negativeList && t('enterprises.flags.negativeList'),
    flags.greenList && t('enterprises.flags.greenList'),
    flags.miitRecommended && t('enterprises.flags.miitRecommended'),
    flags.greenFactoryLevel !== null && t(`enterprises.flags.greenFactory.${flags.greenFactoryLevel}`),
  ]
    .filter(Boolean)
    .join('、');
}

/** The policy flags as small tags: warnings red, green credentials green, the MIIT recommendation blue. */
export function FlagTags({ flags }: { flags: FlagValues }) {
  const { t } = useTranslation();
  return (
    <>
      {flags.outdatedCapacity && (
        <Tooltip title={flags.overdue === true ? t('enterprises.flags.overdue') : undefined}>
          <Tag color="red" {...(flags.overdue === true && { variant: 'solid' as const })}>
            {t('enterprises.flags.outdatedCapacity')}
          </Tag>
        </Tooltip>
      )}
      {flags.negativeList && <Tag color="red">{t('enterprises.flags.negativeList')}</Tag>}
      {flags.greenList && <Tag color="green">{t('enterprises.flags.greenList')}</Tag>}
      {flags.miitRecommended && <Tag color="blue">{t('enterprises.flags.miitRecommended')}</Tag>}
      {flags.greenFactoryLevel !== null && (
        <Tag color={flags.greenFactoryLevel === 'national' ? 'green' : 'cyan'}>{t(`enterprises.flags.greenFactory.${flags.greenFactoryLevel}`)}</Tag>
      )}
    </>
  );
}
