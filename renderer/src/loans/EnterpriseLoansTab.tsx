import { useMemo, useState } from 'react';
import { Button, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { LoanListFilter, LoanSort, LoanSummary } from '../../../shared/api/index.ts';
import { can } from '../../../shared/domain/roles.ts';
import { useAppStore, useUser } from '../stores/app.ts';
import { RegisterTab } from '../register/RegisterTab.tsx';
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
  const [creating, setCreating] = useState(false);
  const filter = useMemo<LoanListFilter>(() => ({ enterpriseId: enterprise.id }), [enterprise.id]);
  const canWrite = user !== null && can(user.role, 'loan.write');
  return (
    <RegisterTab<LoanSummary, LoanListFilter, LoanSort>
      name="enterprise-loan"
      testId="enterprise-loans"
      filter={filter}
      load={(request) => loadLoanPage(call, request)}
      defaultSort={defaultLoanSort}
      columns={enterpriseLoanColumns}
      minWidth={ENTERPRISE_LOAN_COLUMNS_MIN_WIDTH}
      onOpen={(row) => void navigate(`/loans/${row.id}`)}
      emptyText={t('loans.tab.empty')}
      head={(total) => (
        <Typography.Text type="secondary" data-testid="enterprise-loans-count">
          {total === null ? t('register.counting') : t('loans.tab.count', { count: total.count, total: totalFigure(total, t, i18n.language) })}
        </Typography.Text>
      )}
      action={
        canWrite && (
          <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="enterprise-loan-create">
            {t('loans.create')}
          </Button>
        )
      }
    >
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
    </RegisterTab>
  );
}
