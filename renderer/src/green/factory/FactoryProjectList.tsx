import { useState } from 'react';
import { Button, DatePicker, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { GreenFactoryProjectRow, GreenFactoryQuarter } from '../../../../shared/api/index.ts';
import { matchmakingOutcomes } from '../../../../shared/domain/greenFactory.ts';
import { formatWanYuan } from '../../../../shared/domain/money.ts';
import { can } from '../../../../shared/domain/roles.ts';
import { ExportButton } from '../../register/ExportButton.tsx';
import { RegisterList } from '../../register/RegisterList.tsx';
import { useAppStore, useUser } from '../../stores/app.ts';
import { FACTORY_COLUMNS_MIN_WIDTH, factoryColumns } from './columns.tsx';
import { useFactoryListState, type FactoryListFilter, type FactorySort } from './listState.ts';
import { ProjectForm } from './ProjectForm.tsx';
import { currentQuarter, firstDayOf, quarterOfDay } from './quarter.ts';

/** The quarter's totals line under the list: the same figures the export's 合计 row writes. */
function QuarterTotals({ quarter }: { quarter: GreenFactoryQuarter | null }) {
  const { t } = useTranslation();
  if (quarter === null || quarter.rows.length === 0) return null;
  const { totals } = quarter;
  const outcomes = matchmakingOutcomes.filter((outcome) => (totals.byOutcome[outcome] ?? 0) > 0).map((outcome) => `${t(`greenFactory.outcomes.${outcome}`)} ${totals.byOutcome[outcome]}`);
  return (
    <div style={{ display: 'flex', gap: 24, flexWrap: 'wrap', padding: '8px 12px', background: '#fafafa', border: '1px solid #f0f0f0', borderRadius: 8 }} data-testid="factory-totals">
      <Typography.Text strong data-testid="factory-totals-amount">
        {t('greenFactory.list.totals', { projects: totals.projects, amount: formatWanYuan(totals.amountSought) })}
      </Typography.Text>
      <Typography.Text data-testid="factory-totals-outcomes">{t('greenFactory.list.totalsOutcomes', { outcomes: outcomes.join(t('green.washing.reasonWords.listSeparator')) })}</Typography.Text>
    </div>
  );
}

/**
 * 绿色工厂融资需求: one quarter's projects on the register list, with its totals and the quarterly
 * .xlsx for the industry department. Rows and totals come from one greenFactory.quarter answer (the
 * query the export runs), so what the screen adds up is what the sheet says.
 */
export function FactoryProjectList() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const call = useAppStore((s) => s.call);
  const user = useUser();
  const filter = useFactoryListState((s) => s.filter);
  const setFilter = useFactoryListState((s) => s.setFilter);
  const quarter = filter.quarter ?? currentQuarter();
  const [answer, setAnswer] = useState<GreenFactoryQuarter | null>(null);
  const [creating, setCreating] = useState(false);
  const canWrite = user !== null && can(user.role, 'green.write');

  return (
    <RegisterList<GreenFactoryProjectRow, FactoryListFilter, FactorySort>
      name="factory"
      title={t('greenFactory.title')}
      store={useFactoryListState}
      // A quarter holds tens of projects, not thousands: the host answers the whole quarter and the list pages it here.
      load={async (request) => {
        const result = await call('greenFactory.quarter', { quarter: request.filter.quarter ?? currentQuarter() });
        if (!result.ok) return result;
        setAnswer(result.value);
        return { ok: true, value: { rows: result.value.rows.slice(request.offset, request.offset + request.limit), total: result.value.rows.length } };
      }}
      columns={factoryColumns}
      minWidth={FACTORY_COLUMNS_MIN_WIDTH}
      countText={(total) => t('greenFactory.list.count', { total })}
      filters={
        <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
          <Typography.Text>{t('greenFactory.quarter')}</Typography.Text>
          <DatePicker
            picker="quarter"
            allowClear={false}
            value={dayjs(firstDayOf(quarter))}
            onChange={(day) => {
              if (day !== null) setFilter({ quarter: quarterOfDay(day) });
            }}
            aria-label={t('greenFactory.quarter')}
            data-testid="factory-quarter"
          />
        </div>
      }
      toolbar={({ reload }) => (
        <>
          <ExportButton
            run={() => call('greenFactory.export', { quarter })}
            doneText={(count) => t('greenFactory.list.exported', { count })}
            disabled={answer === null || answer.quarter !== quarter || answer.rows.length === 0}
            testId="factory-export"
          />
          {canWrite && (
            <>
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="factory-create">
                {t('greenFactory.list.create')}
              </Button>
              <ProjectForm
                open={creating}
                quarter={quarter}
                onClose={() => setCreating(false)}
                onSaved={(project) => {
                  setCreating(false);
                  reload();
                  void navigate(`/green/factory/${project.id}`);
                }}
              />
            </>
          )}
        </>
      )}
      onOpen={(row) => void navigate(`/green/factory/${row.id}`)}
      emptyText={t('greenFactory.list.empty')}
      noMatchText={t('greenFactory.list.noMatch')}
    >
      <QuarterTotals quarter={answer?.quarter === quarter ? answer : null} />
    </RegisterList>
  );
}
