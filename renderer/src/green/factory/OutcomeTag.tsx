import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MatchmakingOutcome } from '../../../../shared/domain/greenFactory.ts';

const colours: Record<MatchmakingOutcome, string> = { need: 'default', matching: 'processing', credit_granted: 'success', disbursed: 'cyan', not_reached: 'error' };

/** 对接情况 in words, coloured by how far matchmaking got. */
export function OutcomeTag({ value }: { value: MatchmakingOutcome }) {
  const { t } = useTranslation();
  return (
    <Tag color={colours[value]} data-testid="factory-outcome">
      {t(`greenFactory.outcomes.${value}`)}
    </Tag>
  );
}
