import { useMemo, useState } from 'react';
import { Button, Space, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { LoanListFilter, LoanSort, LoanSummary } from '../../../shared/api/index.ts';
import { can } from '../../../shared/domain/roles.ts';
import { useAppStore, useUser } from '../stores/app.ts';
import { useRegisterPages } from '../register/pages.ts';
import { RegisterTable } from '../register/RegisterTable.tsx';
import { totalFigure } from '../register/RegisterList.tsx';
import { ENTERPRISE_LOAN_COLUMNS_MIN_WIDTH, enterpriseLoanColumns } from './columns.tsx';
import { defaultLoanSort } from './listState.ts';
import { loadLoanPage } from './pages.ts';
import { LoanForm } from './LoanForm.tsx';

/**
 * 借据 tab of an enterprise: that enterprise's loans on the same register table as the loan ledger
 * (filtered in SQL by enterprise), opening the loan's page; a new loan starts with this borrower.
 */
export function EnterpriseLoansTab({ enterprise }: { enterprise: { id: string; name: string } }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const call = useAppStore((s) => s.call);
  const user = useUser();
  const [sort, setSort] = useState<LoanSort>(defaultLoanSort);
  const [creating, setCreating] = useState(false);
  const filter = useMemo<LoanListFilter>(() => ({ enterpriseId: enterprise.id }), [enterprise.id]);
  const pages = useRegisterPages<LoanSummary, LoanListFilter, LoanSort>((request) => loadLoanPage(call, request), filter, sort);
  const canWrite = user !== null && can(user.role, 'loan.write');
  const total = pages.total;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="enterprise-loans">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
        <Typography.Text type="secondary" data-testid="enterprise-loans-count">
          {total === null ? t('register.counting') : t('loans.tab.count', { count: total.count, total: totalFigure(total, t, i18n.language) })}
        </Typography.Text>
        {canWrite && (
          <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="enterprise-loan-create">
            {t('loans.create')}
          </Button>
        )}
      </div>
      <RegisterTable<LoanSummary, LoanSort>
        name="enterprise-loan"
        columns={enterpriseLoanColumns}
        minWidth={ENTERPRISE_LOAN_COLUMNS_MIN_WIDTH}
        pages={pages}
        sort={sort}
        onSort={setSort}
        onOpen={(row) => void navigate(`/loans/${row.id}`)}
        emptyText={t('loans.tab.empty')}
        resetKeys={[sort]}
        // A few loans per enterprise as a rule: the tab grows with them up to a screenful.
        style={{ height: Math.min(480, 46 + Math.max(1, total?.count ?? 1) * 52 + (total?.count === 0 ? 160 : 0)), flex: 'none' }}
      />
      <LoanForm
        open={creating}
        loan={null}
        enterprise={enterprise}
        onClose={() => setCreating(false)}
        onSaved={(detail) => {
          setCreating(false);
          void navigate(`/loans/${detail.id}`);
        }}
      />
    </Space>
  );
}
