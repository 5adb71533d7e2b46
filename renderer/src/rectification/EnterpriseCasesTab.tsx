import { useMemo, useState } from 'react';
import { Button, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { CaseListFilter, CaseSort, CaseSummary } from '../../../shared/api/index.ts';
import { can } from '../../../shared/domain/roles.ts';
import { useAppStore, useUser } from '../stores/app.ts';
import { RegisterTab } from '../register/RegisterTab.tsx';
import { CASE_COLUMNS_MIN_WIDTH, caseColumns } from './columns.tsx';
import { defaultCaseSort } from './listState.ts';
import { loadCasePage } from './pages.ts';
import { CaseForm } from './CaseForm.tsx';
import { MonitoringPanel } from './MonitoringPanel.tsx';

/** 整改 tab of an enterprise: its cases on the same register table as 整改跟踪, and its post-loan monitoring visits; a new case starts here or from a visit's finding. */
export function EnterpriseCasesTab({ enterprise }: { enterprise: { id: string; name: string } }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const call = useAppStore((s) => s.call);
  const user = useUser();
  const [creating, setCreating] = useState(false);
  const filter = useMemo<CaseListFilter>(() => ({ enterpriseId: enterprise.id }), [enterprise.id]);
  const canWrite = user !== null && can(user.role, 'case.write');
  return (
    <RegisterTab<CaseSummary, CaseListFilter, CaseSort>
      name="enterprise-case"
      testId="enterprise-cases"
      filter={filter}
      load={(request) => loadCasePage(call, request)}
      defaultSort={defaultCaseSort}
      columns={caseColumns}
      minWidth={CASE_COLUMNS_MIN_WIDTH}
      onOpen={(row) => void navigate(`/rectification/${row.id}`)}
      emptyText={t('rectification.tab.empty')}
      head={(total) => (
        <Typography.Text type="secondary" data-testid="enterprise-cases-count">
          {total === null ? t('register.counting') : t('rectification.tab.count', { count: total.count })}
        </Typography.Text>
      )}
      action={
        canWrite && (
          <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="enterprise-case-create">
            {t('rectification.create')}
          </Button>
        )
      }
    >
      <MonitoringPanel enterprise={enterprise} />
      <CaseForm open={creating} enterprise={enterprise} onClose={() => setCreating(false)} onSaved={(detail) => void navigate(`/rectification/${detail.id}`)} />
    </RegisterTab>
  );
}
