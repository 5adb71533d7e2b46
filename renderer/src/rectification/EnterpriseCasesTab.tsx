import { useMemo, useState } from 'react';
import { Button, Space, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { CaseListFilter, CaseSort, CaseSummary } from '../../../shared/api/index.ts';
import { can } from '../../../shared/domain/roles.ts';
import { useAppStore, useUser } from '../stores/app.ts';
import { useRegisterPages } from '../register/pages.ts';
import { RegisterTable } from '../register/RegisterTable.tsx';
import { CASE_COLUMNS_MIN_WIDTH, caseColumns } from './columns.tsx';
import { defaultCaseSort } from './listState.ts';
import { loadCasePage } from './pages.ts';
import { CaseForm } from './CaseForm.tsx';

/** 整改 tab of an enterprise: its cases on the same register table as 整改跟踪; a new case starts here. */
export function EnterpriseCasesTab({ enterprise }: { enterprise: { id: string; name: string } }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const call = useAppStore((s) => s.call);
  const user = useUser();
  const [sort, setSort] = useState<CaseSort>(defaultCaseSort);
  const [creating, setCreating] = useState(false);
  const filter = useMemo<CaseListFilter>(() => ({ enterpriseId: enterprise.id }), [enterprise.id]);
  const pages = useRegisterPages<CaseSummary, CaseListFilter, CaseSort>((request) => loadCasePage(call, request), filter, sort);
  const canWrite = user !== null && can(user.role, 'case.write');
  const count = pages.total?.count;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="enterprise-cases">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
        <Typography.Text type="secondary" data-testid="enterprise-cases-count">
          {count === undefined ? t('register.counting') : t('rectification.tab.count', { count })}
        </Typography.Text>
        {canWrite && (
          <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="enterprise-case-create">
            {t('rectification.create')}
          </Button>
        )}
      </div>
      <RegisterTable<CaseSummary, CaseSort>
        name="enterprise-case"
        columns={caseColumns}
        minWidth={CASE_COLUMNS_MIN_WIDTH}
        pages={pages}
        sort={sort}
        onSort={setSort}
        onOpen={(row) => void navigate(`/rectification/${row.id}`)}
        emptyText={t('rectification.tab.empty')}
        resetKeys={[sort]}
        style={{ height: Math.min(480, 46 + Math.max(1, count ?? 1) * 52 + (count === 0 ? 160 : 0)), flex: 'none' }}
      />
      <CaseForm open={creating} enterprise={enterprise} onClose={() => setCreating(false)} onSaved={(detail) => void navigate(`/rectification/${detail.id}`)} />
    </Space>
  );
}
