import { testUscc } from '../../shared/domain/testing.ts';
import { isSyncTable, type SyncTableName } from '../../shared/sync/tables.ts';

/**
 * Complete, valid rows of each sync table as a laptop writes them (db/records.ts conventions plus
 * the columns its handlers fill), for hub tests that push rows without a real laptop. A test sets
 * the fields it is about on top.
 */
let serial = 0;

export function testRowFields(table: string, at: string, userId: string): Record<string, unknown> {
  if (!isSyncTable(table)) return {};
  const conventions = { created_at: at, created_by: userId, updated_at: at, updated_by: userId };
  const columns: Record<SyncTableName, Record<string, unknown>> = {
    enterprises: {
      uscc: testUscc((serial += 1)),
      uscc_override_reason: null,
      name: '测试企业有限公司',
      legal_representative: '张建国',
      address: '江西省景德镇市浮梁县工业园区 1 号',
      division_code: '360222',
      contacts: '[]',
      industry_code: 'C3012',
      focus_group: null,
      scale: 'small',
      ownership: 'private',
      employees: 120,
      green_factory_level: null,
      green_factory_year: null,
      green_park: null,
      green_supply_chain: null,
      green_products: '[]',
      water_benchmark: null,
      miit_recommended: 0,
      miit_recommended_on: null,
      miit_batch: null,
      environmental_rating: null,
      outdated_capacity: 0,
      outdated_capacity_exit_deadline: null,
      outdated_capacity_exited_on: null,
      green_list: 0,
      negative_list: 0,
    },
    enterprise_ratings: { enterprise_id: 'unset', level: 'green', bureau: '浮梁县生态环境局', rated_on: '2025-06-30' },
    enterprise_financials: { enterprise_id: 'unset', year: 2025, revenue_fen: 100, total_assets_fen: 100, liabilities_fen: 0, profit_fen: 0 },
    enterprise_indicators: { enterprise_id: 'unset', year: 2025, energy_tce: '1.5', water_m3: null, cod_t: null, nh3n_t: null, so2_t: null, nox_t: null, co2_t: null },
    people: { display_name: '李会计', role: 'loan_officer', active: 1 },
    attachments: { owner_type: 'enterprises', owner_id: 'unset', file_name: '排污许可证.pdf', mime: 'application/pdf', size: 3, sha256: 'a'.repeat(64), note: null },
    // A new application at investigation, its investigator the pushing user (the lifecycle rule's start).
    credit_applications: {
      enterprise_id: 'unset',
      product: 'working_capital',
      amount_fen: 200_000_000,
      term_months: 12,
      rate_bp: 435,
      purpose: '购买原材料',
      purpose_kind: 'general',
      guarantee_mode: 'guarantee',
      green_project: 0,
      project_name: null,
      project_total_investment_fen: null,
      project_expected_start: null,
      status: 'investigation',
      approval_level: 'credit_manager',
      investigator_id: userId,
      reviewer_id: null,
      decider_id: null,
      decided_at: null,
      step_entered_at: at,
      gate_override_by: null,
      gate_override_reason: null,
      gate_override_at: null,
      gate_override_codes: null,
    },
    credit_application_steps: {
      application_id: 'unset',
      step: 'investigation',
      action: 'submit',
      actor_id: userId,
      opinion: '经实地调查，企业经营正常',
      attachment_ids: '[]',
      entered_at: at,
      acted_at: at,
      to_status: 'review',
      to_approval_level: 'credit_manager',
    },
    loans: {
      loan_number: `JK2025-${String((serial += 1)).padStart(6, '0')}`,
      enterprise_id: 'unset',
      application_id: null,
      amount_fen: 500_000_00,
      balance_fen: 400_000_00,
      balance_as_of: '2025-06-30',
      disbursed_on: '2025-01-15',
      matures_on: '2026-01-14',
      rate_bp: 435,
      classification: 'normal',
      guarantee_mode: 'environmental_rights_pledge',
      status: 'outstanding',
      purpose: '购买节能设备',
    },
    loan_snapshots: { loan_id: 'unset', as_of: '2025-06-30', balance_fen: 400_000_00, classification: 'normal' },
  };
  return { ...conventions, ...columns[table] };
}
