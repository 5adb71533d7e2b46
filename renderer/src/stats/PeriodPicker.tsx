import { Select } from 'antd';
import { endedPeriods, statPeriodKinds, type StatPeriod, type StatPeriodKind } from '../../../shared/domain/greenStatistics.ts';

/** The period a report is for: its kind (month, quarter, year), then one of the last ended ones of that kind. */
export function PeriodPicker(props: {
  period: StatPeriod;
  onChange: (period: StatPeriod) => void;
  /** How many ended periods of each kind are offered, newest first. */
  choices: Record<StatPeriodKind, number>;
  kindLabel: (kind: StatPeriodKind) => string;
  periodLabel: (period: StatPeriod) => string;
  ariaLabels?: { kind: string; period: string };
  widths: { kind: number; period: number };
}) {
  const { period, onChange, choices, kindLabel, periodLabel, ariaLabels, widths } = props;
  return (
    <>
      <Select
        aria-label={ariaLabels?.kind}
        value={period.kind}
        style={{ width: widths.kind }}
        data-testid="period-kind"
        options={statPeriodKinds.map((value) => ({ value, label: kindLabel(value) }))}
        // A new kind starts at its newest ended period.
        onChange={(kind: StatPeriodKind) => onChange(endedPeriods(kind, new Date(), 1)[0]!)}
      />
      <Select
        aria-label={ariaLabels?.period}
        value={period.key}
        style={{ width: widths.period }}
        data-testid="period-key"
        options={endedPeriods(period.kind, new Date(), choices[period.kind]).map((p) => ({ value: p.key, label: periodLabel(p) }))}
        onChange={(key: string) => onChange({ kind: period.kind, key })}
      />
    </>
  );
}
