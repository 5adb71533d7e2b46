import { Alert, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { GateResultOutput } from '../../../shared/api/index.ts';
import type { EnvironmentalRatingLevel } from '../../../shared/domain/environmentalRating.ts';
import { ratingLabel } from '../enterprises/labels.ts';
import { formatInstant } from '../format.ts';

type GateReason = GateResultOutput['reasons'][number];

/** One reason of the gate in the UI language, its parameters (the rating, the deadline) worded. */
export function gateReasonText(reason: GateReason, t: TFunction, language: string): string {
  const { level, purposeKind, exitDeadline, caseNumber, category, measure, deadline } = reason.params;
  return t(`credit.gate.reasons.${reason.code}`, {
    level: typeof level === 'string' ? ratingLabel(level as EnvironmentalRatingLevel, t, language) : '',
    purpose: typeof purposeKind === 'string' ? t(`credit.purposeKinds.${purposeKind}`) : '',
    exitDeadline: exitDeadline ?? '',
    caseNumber: caseNumber ?? '',
    category: typeof category === 'string' ? t(`rectification.categories.${category}`) : '',
    measure: typeof measure === 'string' ? t(`rectification.measures.${measure}`) : '',
    deadline: deadline ?? '',
  });
}

const alertType = { allow: 'success', needs_override: 'warning', deny: 'error' } as const;

export interface GateOverrideShown {
  name: string | null;
  reason: string;
  at: string;
}

/**
 * The credit gate's verdict and every reason for it, with its warnings (no rating on file): what
 * the officer sees before typing an amount, and what the detail shows for as long as it matters.
 * With an override recorded, who gave it and why are shown with the reasons it covers.
 */
export function GateVerdict({ gate, override, stale = false }: { gate: GateResultOutput; override?: GateOverrideShown | null; stale?: boolean }) {
  const { t, i18n } = useTranslation();
  const passedByOverride = gate.verdict === 'needs_override' && override != null && !stale;
  return (
    <Alert
      type={passedByOverride ? 'info' : alertType[gate.verdict]}
      showIcon
      data-testid="credit-gate"
      data-verdict={gate.verdict}
      title={
        <Space size={8} wrap>
          <Typography.Text strong>{passedByOverride ? t('credit.gate.passedByOverride') : t(`credit.gate.verdicts.${gate.verdict}`)}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('credit.gate.asOf', { date: gate.today })}
          </Typography.Text>
        </Space>
      }
      description={
        gate.reasons.length === 0 && gate.warnings.length === 0 && override == null ? undefined : (
        <div>
          {gate.reasons.length > 0 && (
            <ul style={{ margin: 0, paddingInlineStart: 18 }} data-testid="credit-gate-reasons">
              {gate.reasons.map((reason) => (
                <li key={reason.subject ?? reason.code}>{gateReasonText(reason, t, i18n.language)}</li>
              ))}
            </ul>
          )}
          {gate.warnings.length > 0 && (
            <ul style={{ margin: 0, paddingInlineStart: 18 }} data-testid="credit-gate-warnings">
              {gate.warnings.map((warning) => (
                <li key={warning.code}>
                  <Typography.Text type="warning">{t('credit.gate.warning')}：</Typography.Text>
                  {gateReasonText(warning, t, i18n.language)}
                </li>
              ))}
            </ul>
          )}
          {override != null && (
            <div style={{ marginTop: 6 }} data-testid="credit-gate-override">
              <Typography.Text strong>{t('credit.gate.overridden', { name: override.name ?? '—', at: formatInstant(override.at) })}</Typography.Text>
              <div>{t('credit.gate.overrideReason', { reason: override.reason })}</div>
              {stale && <Typography.Text type="danger">{t('credit.gate.overrideStale')}</Typography.Text>}
            </div>
          )}
        </div>
        )
      }
    />
  );
}
