import { useMemo, useState } from 'react';
import { Button } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { CollateralListFilter, CollateralSort, CollateralSummary } from '../../../shared/api/index.ts';
import { can } from '../../../shared/domain/roles.ts';
import { useAppStore, useUser } from '../stores/app.ts';
import { RegisterTab } from '../register/RegisterTab.tsx';
import { ENTERPRISE_COLLATERAL_COLUMNS_MIN_WIDTH, enterpriseCollateralColumns } from './columns.tsx';
import { defaultCollateralSort } from './listState.ts';
import { loadCollateralPage } from './pages.ts';
import { CollateralTotalsLine } from './CollateralList.tsx';
import { CollateralForm } from './CollateralForm.tsx';

/**
 * 抵质押物 tab of an enterprise: its items on the same register table as the 抵质押登记簿, with
 * their totals (what counts toward collateral value is the registered items' pledged value); a
 * new item is entered here, with this enterprise as the pledgor.
 */
export function EnterpriseCollateralTab({ enterprise }: { enterprise: { id: string; name: string } }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const call = useAppStore((s) => s.call);
  const user = useUser();
  const [creating, setCreating] = useState(false);
  const filter = useMemo<CollateralListFilter>(() => ({ enterpriseId: enterprise.id }), [enterprise.id]);
  const canWrite = user !== null && can(user.role, 'collateral.write');
  return (
    <RegisterTab<CollateralSummary, CollateralListFilter, CollateralSort>
      name="enterprise-collateral"
      testId="enterprise-collateral"
      filter={filter}
      load={(request) => loadCollateralPage(call, request)}
      defaultSort={defaultCollateralSort}
      columns={enterpriseCollateralColumns}
      minWidth={ENTERPRISE_COLLATERAL_COLUMNS_MIN_WIDTH}
      onOpen={(row) => void navigate(`/collateral/${row.id}`)}
      emptyText={t('collateral.tab.empty')}
      head={() => <CollateralTotalsLine filter={filter} testId="enterprise-collateral-totals" />}
      action={
        canWrite && (
          <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="enterprise-collateral-create">
            {t('collateral.create')}
          </Button>
        )
      }
    >
      <CollateralForm open={creating} enterprise={enterprise} item={null} onClose={() => setCreating(false)} onSaved={(detail) => void navigate(`/collateral/${detail.id}`)} />
    </RegisterTab>
  );
}
