import type { dashboard as zh } from '../zh-CN/dashboard.ts';

/** Dashboard (经营看板, issue 17). */
export const dashboard: typeof zh = {
  dashboard: {
    title: 'Dashboard',
    asOf: 'As of {{day}}',
    wan: '10k yuan',
    notComputable: 'Not computable',
    green: {
      title: 'Green loans',
      balance: 'Green-loan balance',
      loans: 'Green loans',
      customers: 'Green-loan customers',
      share: 'Share of all loans',
      growthYtd: 'Green-loan growth since year start',
      growthYoy: 'Green-loan growth year on year',
      bookBalance: 'All loans balance',
      bookGrowthYtd: 'All-loan growth since year start',
      shareChange: 'Share change since year start',
      yearStart: 'Year start',
      sameDayLastYear: 'Same day last year',
      today: 'Now',
    },
    collateral: {
      byType: 'Collateral by type (pledged value)',
      byStatus: 'Collateral by status (pledged value)',
      line: 'Group',
      count: 'Items',
      pledged: 'Pledged value (10k yuan)',
    },
    cases: {
      title: 'Rectification cases by measure',
      measure: 'Measure',
      overdue: 'Overdue',
    },
    alerts: {
      title: 'Alerts',
      collateralExpiring: 'Collateral ending within 30 days (lapsed included)',
      overdueCases: 'Overdue rectification cases',
    },
    loans: {
      title: 'Green loans behind the figure',
      noFilter: 'The address holds no valid figure; open this list from the dashboard',
      count: '{{total}} loans · {{customers}} customers · balance {{balance}} (10k yuan)',
      loanNumber: 'Loan number',
      borrower: 'Borrower',
      category: 'Catalogue category',
      classification: 'Classification',
      balance: 'Balance (yuan)',
    },
  },
};
