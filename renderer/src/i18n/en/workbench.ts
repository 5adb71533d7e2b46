import type { workbench as zh } from '../zh-CN/workbench.ts';

/** Workbench (工作台, issue 17): the home screen's words. */
export const workbench: typeof zh = {
  workbench: {
    title: 'Workbench',
    greeting: '{{name}}, your work for today ({{today}})',
    horizon: 'Follow-ups and monitoring visits due within {{days}} days are listed',
    nothing: 'Nothing waiting for you today',
    more: '{{total}} in all; the first {{shown}} are listed here',
    overdue: 'Overdue',
    dueOn: 'due {{day}}',
    enteredOn: 'since {{day}}',
    open: 'Open',
    groups: {
      decisions: 'Waiting for my decision',
      due: 'Due',
      alerts: 'Alerts',
      conflicts: 'Sync conflicts to resolve',
    },
    kinds: {
      credit_decision: 'Credit application',
      collateral_approval: 'Collateral approval',
      green_confirmation: 'Green tag confirmation',
      case_verification: 'Rectification verification',
      case_follow_up: 'Rectification follow-up',
      monitoring_visit: 'Monitoring visit',
      collateral_alert: 'Collateral alert',
      case_overdue: 'Overdue rectification',
      sync_conflict: 'Sync conflict',
    },
    tagOwners: { loan: 'Loan', credit_application: 'Credit application' },
    neverFollowedUp: 'Not followed up yet',
    monitoringDue: 'Site visit (production, finance, energy and environment, green innovation)',
    alerts: {
      expires_before_maturity: 'Right or registration ends before the loan matures',
      registration_expiring: 'Registration expiring',
      revaluation_overdue: 'Revaluation overdue',
      coverage_over_limit: 'Secured balance over the pledged-value limit',
      surrender_deadline_in_term: 'Allowance surrender deadline within the loan term',
      eligibility_lost: 'Pledgor no longer eligible',
      open_environmental_case: 'Pledgor has an open environmental rectification case',
    },
    checklist: {
      title: 'New branch checklist',
      help: 'This list goes away once every step is done',
      done: 'Done',
      todo: 'To do',
      steps: {
        reference_data: 'Receive head office reference data (applied with the first sync)',
        users: 'Create loan officer and credit manager accounts',
        first_sync: 'Complete the first sync with head office',
        enterprises: 'Import or enter enterprise files',
        loans: 'Import the loan ledger',
      },
    },
  },
};
