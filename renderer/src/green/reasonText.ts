import { useTranslation } from 'react-i18next';
import type { GreenwashingReasonView } from '../../../shared/api/index.ts';

/** A greenwashing reason in the reader's language, worded from its fields (the host's message is zh-CN only). */
export function useReasonText(): (reason: GreenwashingReasonView) => string {
  const { t } = useTranslation();
  return (reason) => {
    switch (reason.rule) {
      case 'implausibleBenefit':
        return t('green.washing.reasonWords.implausibleBenefit', {
          indicator: t(`green.indicators.${reason.indicator!}`),
          perWanYuan: reason.perWanYuan,
          unit: t(`green.units.${reason.indicator!}`),
          side: t(`green.washing.reasonWords.${reason.side === 'below' ? 'below' : 'above'}`),
          bound: reason.bound,
        });
      case 'adverseRating':
        return t('green.washing.reasonWords.adverseRating', { rating: t(`enterprises.plates.${reason.rating as 'red' | 'black'}`) });
      case 'unknownCode':
        return t('green.washing.reasonWords.unknownCode', { code: reason.code ?? '' });
      case 'openEnvironmentalCase':
        return t('green.washing.reasonWords.openEnvironmentalCase', { cases: (reason.caseNumbers ?? []).join(t('green.washing.reasonWords.listSeparator')) });
      default:
        return t(`green.washing.reasonWords.${reason.rule}`);
    }
  };
}
