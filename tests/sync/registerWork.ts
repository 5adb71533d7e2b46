import type { Db } from '../../db/open.ts';
import { canMoveOutcome, matchmakingOutcomes, type MatchmakingOutcome } from '../../shared/domain/greenFactory.ts';
import { noBenefits } from '../../shared/domain/environmentalBenefit.ts';
import { shanghaiDate } from '../../shared/domain/calendar.ts';

/**
 * Work on the registers that joined sync after the torture and fault tests were written — green tags,
 * green-factory projects and their contacts, collateral items with their appraisals and loan links,
 * rectification cases with their follow-ups and the 督促整改函 recorded as sent on them — through the host's own calls (the ones the forms make),
 * for tests/sync/torture.ts and tests/sync/faults.test.ts. Each object is carried on by the laptop
 * whose person made it (its preparer, maker or responsible officer: an account of that laptop's own
 * `users`); its four-eyes step (confirm, approve, verify) is taken by the credit manager of another
 * laptop, so the hosts and the hub refuse nothing for a clash the test made — what meets is what
 * offline laptops do concurrently.
 * Monitoring visits (贷后监测) are recorded by monitoring.record — planned, made, made with a finding —
 * and a finding opens a case from its own laptop (cases.create naming the visit: one finding, one case,
 * so only the visit's officer's laptop opens it).
 */

/**
 * SQL: the enterprise (a column holding its id) has no open rectification case on this laptop. The
 * credit gate then asks for a manager's override (RECTIFICATION_CASE_OPEN), so the tests' credit work
 * keeps to such files — the gate is the host's, judged on the laptop's own rows.
 */
export const noOpenCase = (column: string) =>
  `${column} NOT IN (SELECT enterprise_id FROM rectification_cases WHERE deleted_at IS NULL AND status <> 'closed')`;

/** The credit manager of one laptop: the host, their session and their id in the branch's people directory. */
export interface RegisterWorker {
  host: { dispatch: (method: never, input: never, session: { sessionId: string }) => Promise<unknown>; store: { db: Db } };
  session: { sessionId: string };
  userId: string;
}

export const registerKinds = ['greenTags', 'greenFactory', 'collateral', 'cases', 'letters', 'monitoring'] as const;
export type RegisterKind = (typeof registerKinds)[number];

/** What one call of `registerWork` did: nothing to do, a write (the step's name), or a call the host refused. */
export type RegisterOutcome = { kind: RegisterKind; step: string } | { kind: RegisterKind; failure: string } | undefined;

type Answer = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Title (佐证材料) >> endobj\n%%EOF\n').toString('base64');

/**
 * One step of work on a register (`kind`, or one drawn from `random`) by `worker`: mostly the next
 * step of an object already there (so the workflows reach their four-eyes steps), else a new one.
 * `serial` numbers what it creates. Rows are picked from the worker's own store, as the person sees
 * them: only objects whose enterprise (and loan) are live there.
 */
export async function registerWork(worker: RegisterWorker, random: () => number, serial: number, kind?: RegisterKind): Promise<RegisterOutcome> {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const chosen = kind ?? pick(registerKinds);
  const db = worker.host.store.db;
  const call = async (step: string, method: string, input: unknown): Promise<RegisterOutcome> => {
    const answer = (await worker.host.dispatch(method as never, input as never, worker.session)) as Answer;
    return answer.ok ? { kind: chosen, step } : { kind: chosen, failure: `${method} (${step}): ${answer.error.code} ${answer.error.message}` };
  };
  const all = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as T[];
  const liveEnterprises = all<{ id: string }>('SELECT id FROM enterprises WHERE deleted_at IS NULL ORDER BY id').map((row) => row.id);
  /** The next steps open to this person, one per object and step. */
  const next: (() => Promise<RegisterOutcome>)[] = [];
  const step = (run: () => Promise<RegisterOutcome>) => next.push(run);
  let create: (() => Promise<RegisterOutcome>) | undefined;
  const evidence = (ownerType: string, ownerId: string, fileName: string) =>
    call(ownerType === 'green_tags' ? 'evidence' : 'photo', 'attachments.add', { ownerType, ownerId, fileName, mime: 'application/pdf', contentBase64: PDF });

  if (chosen === 'greenTags') {
    // Confirm a complete draft a person of another laptop prepared (four-eyes).
    const drafts = all<{ id: string; version: number }>(
      `SELECT t.id, t.version FROM green_tags t JOIN loans l ON l.id = t.owner_id AND l.deleted_at IS NULL JOIN enterprises e ON e.id = l.enterprise_id AND e.deleted_at IS NULL
       WHERE t.deleted_at IS NULL AND t.status = 'draft' AND t.prepared_by NOT IN (SELECT id FROM users) AND t.catalogue_code IS NOT NULL
         AND EXISTS (SELECT 1 FROM attachments a WHERE a.owner_type = 'green_tags' AND a.owner_id = t.id AND a.deleted_at IS NULL) ORDER BY t.id`,
    );
    for (const tag of drafts) step(() => call('confirm', 'green.confirm', { id: tag.id, version: tag.version }));
    // Tag, evidence or re-state a loan entered on this laptop. A complete draft waits for its
    // confirmation: re-stating it while another laptop confirms it offline is refused by the hub
    // (CONFIRMED_TAG_LOCKED: a confirmed tag changes only by withdrawing the confirmation, which the
    // editor never saw), a clash the plan leaves out; re-stating a confirmed tag withdraws it.
    const loans = all<{ id: string; tag: string | null; version: number | null; status: string | null; evidence: number }>(
      `SELECT l.id, t.id AS tag, t.version, t.status,
              (SELECT count(*) FROM attachments a WHERE a.owner_type = 'green_tags' AND a.owner_id = t.id AND a.deleted_at IS NULL) AS evidence
       FROM loans l JOIN enterprises e ON e.id = l.enterprise_id AND e.deleted_at IS NULL
       LEFT JOIN green_tags t ON t.owner_type = 'loan' AND t.owner_id = l.id AND t.deleted_at IS NULL
       WHERE l.deleted_at IS NULL AND l.created_by IN (SELECT id FROM users) ORDER BY l.id`,
    );
    for (const loan of loans) {
      const save = (name: string) => {
        const tag = { catalogueVersion: '2025', code: pick(['1', '2', '3']), totalInvestment: (1000 + Math.floor(random() * 9000)) * 1_000_000, benefits: { ...noBenefits, coalSavedTce: String(100 + Math.floor(random() * 900)) } };
        return call(name, 'green.saveTag', { ownerType: 'loan', ownerId: loan.id, version: loan.version, tag });
      };
      if (loan.tag === null) step(() => save('tag'));
      else if (loan.evidence === 0) step(() => evidence('green_tags', loan.tag as string, '节能审查意见.pdf'));
      else if (loan.status === 'confirmed' && random() < 0.5) step(() => save('retag'));
    }
  } else if (chosen === 'greenFactory') {
    // A matchmaking contact on any live project (two laptops recording one offline meet on its outcome).
    const projects = all<{ id: string; version: number; outcome: MatchmakingOutcome }>(
      `SELECT p.id, p.version, p.outcome FROM green_factory_projects p JOIN enterprises e ON e.id = p.enterprise_id AND e.deleted_at IS NULL WHERE p.deleted_at IS NULL ORDER BY p.id`,
    );
    for (const project of projects) {
      const targets = matchmakingOutcomes.filter((to) => to !== project.outcome && to !== 'disbursed' && canMoveOutcome(project.outcome, to));
      if (targets.length === 0) continue;
      step(() => {
        const outcome = pick(targets);
        const contact = { contactedOn: '2026-11-20', note: `第${serial}次对接`, outcome, reason: outcome === 'not_reached' ? '企业暂缓投资' : null };
        return call('contact', 'greenFactory.recordContact', { projectId: project.id, version: project.version, contact });
      });
    }
    create = () => {
      const project = { enterpriseId: pick(liveEnterprises), projectName: `节能技改项目${serial}`, kind: pick(['rnd_industrialisation', 'technical_upgrade', 'zero_carbon_factory'] as const), amountSought: (100 + Math.floor(random() * 900)) * 1_000_000, quarter: '2026Q4', contactName: '王志强', contactPhone: '13800001234' };
      return call('project', 'greenFactory.create', { project });
    };
  } else if (chosen === 'collateral') {
    const items = all<{ id: string; version: number; status: string; ours: number; enterprise_id: string; links: number; registration_expires_on: string | null }>(
      `SELECT c.id, c.version, c.status, c.maker_id IN (SELECT id FROM users) AS ours, c.enterprise_id, c.registration_expires_on, (SELECT count(*) FROM collateral_loans k WHERE k.item_id = c.id AND k.deleted_at IS NULL) AS links
       FROM collateral_items c JOIN enterprises e ON e.id = c.enterprise_id AND e.deleted_at IS NULL WHERE c.deleted_at IS NULL ORDER BY c.id`,
    );
    for (const item of items) {
      const act = (action: string, extra: Record<string, unknown> = {}) => () => call(action, 'collateral.act', { id: item.id, version: item.version, action, ...extra });
      // Four-eyes: a submitted item is approved by a manager of another laptop than its maker's.
      if (item.status === 'submitted' && item.ours === 0) step(act('approve'));
      // The maker's laptop carries its approved item on: registered, a secured loan linked, activated.
      if (item.status === 'approved' && item.ours === 1) step(act('register', { registration: { registry: '江西省排污权交易中心', registrationNumber: `JXPW-2026-${serial}`, registeredOn: '2026-02-01', expiresOn: '2029-01-31' } }));
      if (item.status === 'registered' && item.ours === 1) {
        if (item.links > 0) step(act('activate'));
        else {
          const loans = all<{ id: string }>("SELECT id FROM loans WHERE deleted_at IS NULL AND enterprise_id = ? AND status = 'outstanding' ORDER BY id", item.enterprise_id);
          if (loans.length > 0) step(() => call('link', 'collateral.linkLoan', { itemId: item.id, loanId: pick(loans).id, securedAmountFen: null }));
        }
      }
      // A renewal (展期) of a registration by any laptop: a collateral_renewals row beside the item's new expiry, meeting the maker's steps.
      if (['registered', 'active'].includes(item.status) && item.registration_expires_on !== null && random() < 0.2) {
        const expiresOn = `${Number(item.registration_expires_on.slice(0, 4)) + 1 + Math.floor(random() * 2)}${item.registration_expires_on.slice(4, 7)}-28`;
        step(() => call('renew', 'collateral.renew', { id: item.id, version: item.version, renewal: { renewedOn: '2026-11-20', expiresOn, registrationNumber: `JXPW-2026-${serial}-展`, notes: null } }));
      }
      // A recorded revaluation (a new appraisal) by any manager: it meets an approval or a registration made elsewhere.
      if (['submitted', 'approved', 'registered', 'active'].includes(item.status) && random() < 0.25) {
        step(() => {
          const valuation = { method: 'quantity_price', unitPriceFen: 200_000 + Math.floor(random() * 200_000), basis: 'per_unit_year', appraisedOn: '2026-06-30', appraiser: '江西中信评估有限公司' };
          return call('revalue', 'collateral.revalue', { id: item.id, version: item.version, valuation });
        });
      }
    }
    create = () => {
      // On a file with a loan where there is one, so that the item can be linked and activated.
      const withLoans = all<{ id: string }>("SELECT DISTINCT l.enterprise_id AS id FROM loans l JOIN enterprises e ON e.id = l.enterprise_id AND e.deleted_at IS NULL WHERE l.deleted_at IS NULL AND l.status = 'outstanding' ORDER BY 1").map((row) => row.id);
      const item = {
        enterpriseId: pick(withLoans.length > 0 && random() < 0.8 ? withLoans : liveEnterprises),
        details: { type: 'emission_right', pollutant: pick(['cod', 'so2', 'nox'] as const), quantity: String(5 + Math.floor(random() * 20)), unit: 't/yr' },
        certificateNumber: `浮环排污〔2026〕${serial}号`,
        certificateIssuer: '景德镇市生态环境局浮梁分局',
        validity: { from: '2024-01-01', to: '2028-12-31' },
        valuation: { method: 'quantity_price', unitPriceFen: 300_000, basis: 'per_unit_year', appraisedOn: '2026-01-01', appraiser: '江西中信评估有限公司' },
        pledgeRateBp: 6_000 + Math.floor(random() * 20) * 100,
      };
      return call('item', 'collateral.create', { item, submit: true });
    };
  } else if (chosen === 'monitoring') {
    // A visit on any live file: planned (not made yet), made, or made with a finding worth a case. The
    // host refuses a visit made after today, so the days are the real Asia/Shanghai today's.
    create = () => {
      const today = shanghaiDate(new Date());
      const roll = random();
      const made = roll >= 0.3;
      const finding = roll >= 0.7;
      const visit = {
        enterpriseId: pick(liveEnterprises),
        dueOn: today,
        visitedOn: made ? today : null,
        production: made ? `生产正常，产能利用率${60 + Math.floor(random() * 40)}%（${serial}）` : null,
        finance: made ? '按期付息，无逾期' : null,
        energyEnvironment: made ? '在线监测数据达标' : null,
        greenInnovation: null,
        findingCategory: finding ? pick(['environmental', 'work_safety', 'occupational_health'] as const) : null,
        finding: finding ? `现场发现危废暂存间未设防渗措施（${serial}）` : null,
      };
      return call(finding ? 'finding' : made ? 'visit' : 'planned', 'monitoring.record', { visit });
    };
  } else if (chosen === 'letters') {
    // A 督促整改函 recorded as sent on an open case this laptop's person carries: printed to PDF by the
    // laptop's Chromium and kept as the letter's attachment (rectification_letters + attachments rows,
    // the case's 发函日期). At most two a case, so the Chromium a laptop starts prints a few, not hundreds.
    const open = all<{ id: string; version: number }>(
      `SELECT c.id, c.version FROM rectification_cases c JOIN enterprises e ON e.id = c.enterprise_id AND e.deleted_at IS NULL
       WHERE c.deleted_at IS NULL AND c.status <> 'closed' AND c.officer_id IN (SELECT id FROM users)
         AND (SELECT count(*) FROM rectification_letters l WHERE l.case_id = c.id AND l.deleted_at IS NULL) < 2 ORDER BY c.id`,
    );
    for (const item of open) step(() => call('letter', 'cases.recordLetter', { caseId: item.id, version: item.version }));
  } else {
    // Rectification cases: the responsible officer's laptop follows up and submits; another laptop's manager verifies or returns.
    const cases = all<{ id: string; version: number; status: string; ours: number; evidence: number }>(
      `SELECT c.id, c.version, c.status, c.officer_id IN (SELECT id FROM users) AS ours,
              (SELECT count(*) FROM attachments a WHERE a.deleted_at IS NULL AND ((a.owner_type = 'rectification_cases' AND a.owner_id = c.id)
                 OR (a.owner_type = 'rectification_follow_ups' AND a.owner_id IN (SELECT f.id FROM rectification_follow_ups f WHERE f.case_id = c.id AND f.deleted_at IS NULL)))) AS evidence
       FROM rectification_cases c JOIN enterprises e ON e.id = c.enterprise_id AND e.deleted_at IS NULL WHERE c.deleted_at IS NULL AND c.status <> 'closed' ORDER BY c.id`,
    );
    for (const item of cases) {
      const act = (action: string, note?: string) => () => call(action, 'cases.act', { id: item.id, version: item.version, action, ...(note === undefined ? {} : { note }) });
      if (item.status === 'submitted' && item.ours === 0) step(item.evidence > 0 && random() < 0.75 ? act('verify', '经现场核实，整改到位') : act('return', '整改材料不全，请补充'));
      if (item.status !== 'submitted' && item.ours === 1) {
        if (item.evidence > 0 && random() < 0.5) step(act('submit'));
        else {
          step(async () => {
            const followUp = { followedOn: '2026-11-10', kind: 'visit', note: `第${serial}次现场跟进`, progressPercent: Math.floor(random() * 101), nextFollowUpOn: null };
            const answer = (await worker.host.dispatch('cases.addFollowUp' as never, { caseId: item.id, followUp } as never, worker.session)) as Answer;
            if (!answer.ok) return { kind: chosen, failure: `cases.addFollowUp: ${answer.error.code} ${answer.error.message}` };
            const latest = (answer.value as { followUps: { id: string }[] }).followUps.at(-1);
            // A photographed visit: the evidence a close is verified against.
            return latest === undefined || random() < 0.4 ? { kind: chosen, step: 'followUp' } : evidence('rectification_follow_ups', latest.id, '整改现场.pdf');
          });
        }
      }
    }
    // Opened on a file with no credit application under way here, so that the tests' credit work
    // (which keeps off files with an open case) is not stopped halfway.
    const free = all<{ id: string }>(
      `SELECT id FROM enterprises WHERE deleted_at IS NULL AND id NOT IN (SELECT enterprise_id FROM credit_applications WHERE deleted_at IS NULL AND status IN ('investigation', 'review', 'approval')) ORDER BY id`,
    ).map((row) => row.id);
    // A finding of a visit this laptop's person made, with no case yet, on such a file opens one from it.
    const findings = all<{ id: string; enterprise_id: string; finding_category: string }>(
      `SELECT v.id, v.enterprise_id, v.finding_category FROM monitoring_visits v
       WHERE v.deleted_at IS NULL AND v.finding IS NOT NULL AND v.officer_id IN (SELECT id FROM users)
         AND v.id NOT IN (SELECT monitoring_visit_id FROM rectification_cases WHERE deleted_at IS NULL AND monitoring_visit_id IS NOT NULL) ORDER BY v.id`,
    ).filter((visit) => free.includes(visit.enterprise_id));
    if (free.length > 0) create = () => {
      const visit = findings.length > 0 && random() < 0.5 ? pick(findings) : undefined;
      const facts = {
        enterpriseId: visit?.enterprise_id ?? pick(free),
        category: visit?.finding_category ?? pick(['environmental', 'work_safety', 'occupational_health'] as const),
        source: visit === undefined ? 'inspection' : 'bank_visit',
        sourceReference: null,
        sourceAuthority: null,
        sourceDate: null,
        foundOn: '2026-10-25',
        description: `窑炉烟气颗粒物超标排放（${serial}）`,
        requiredActions: '更换除尘设施并经监测达标',
        deadline: '2099-12-31',
        measure: 'urge',
        exposurePlan: [],
        officerId: worker.userId,
        monitoringVisitId: visit?.id ?? null,
      };
      return call(visit === undefined ? 'case' : 'caseFromVisit', 'cases.create', { facts });
    };
  }
  if (next.length > 0 && (create === undefined || random() < 0.85)) return pick(next)();
  return create !== undefined && liveEnterprises.length > 0 ? create() : undefined;
}
