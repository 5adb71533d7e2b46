import { Button, DatePicker, Form, InputNumber, Space } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { ExposurePlanStep } from '../../../shared/domain/rectification.ts';

const DAY = 'YYYY-MM-DD';
const FEN_PER_WAN = 1_000_000;

/** One row of the plan as the form holds it: a day and a target in 万元 (the unit bank reports use). */
export interface PlanRow {
  date?: Dayjs | null;
  targetWan?: number | null;
}

export const planRowsOf = (plan: readonly ExposurePlanStep[]): PlanRow[] => plan.map((step) => ({ date: dayjs(step.date), targetWan: step.targetFen / FEN_PER_WAN }));

/** The plan the contract takes: complete rows only, by day (the host refuses days out of order). */
export const planOf = (rows: readonly PlanRow[] | undefined): ExposurePlanStep[] =>
  (rows ?? [])
    .filter((row): row is { date: Dayjs; targetWan: number } => row.date != null && row.targetWan != null)
    .map((row) => ({ date: row.date.format(DAY), targetFen: Math.round(row.targetWan * FEN_PER_WAN) }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

/** Two steps on one day: the plan says one target per day. */
export const planHasTwinDays = (plan: readonly ExposurePlanStep[]): boolean => new Set(plan.map((step) => step.date)).size !== plan.length;

/**
 * 压缩退出's exposure-reduction plan inside a form (field `name`): rows of a day and the balance the
 * enterprise's loans should be down to by then, in 万元. Used by the case form and the case page.
 */
export function ExposurePlanFields({ name = 'exposurePlan' }: { name?: string }) {
  const { t } = useTranslation();
  const label = (key: string) => t(`caseExposure.plan.${key}`);
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <div data-testid="exposure-plan-fields">
          {fields.map((field, index) => (
            <Space key={field.key} align="baseline" style={{ display: 'flex' }}>
              <Form.Item name={[field.name, 'date']} rules={[{ required: true, message: label('dateRequired') }]}>
                <DatePicker format={DAY} placeholder={label('date')} aria-label={`${label('date')} ${index + 1}`} data-testid={`exposure-plan-date-${index}`} />
              </Form.Item>
              <Form.Item name={[field.name, 'targetWan']} rules={[{ required: true, message: label('targetRequired') }]}>
                <InputNumber min={0} max={1e8} precision={2} addonAfter={label('unit')} placeholder={label('target')} aria-label={`${label('target')} ${index + 1}`} data-testid={`exposure-plan-target-${index}`} style={{ width: 200 }} />
              </Form.Item>
              <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={label('remove')} />
            </Space>
          ))}
          {fields.length < 24 && (
            <Button icon={<PlusOutlined />} onClick={() => add({})} data-testid="exposure-plan-add">
              {label('add')}
            </Button>
          )}
        </div>
      )}
    </Form.List>
  );
}
