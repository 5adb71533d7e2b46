import { Space, Steps, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { AttachmentListItem, CreditDetail, CreditStep, StepTimingOutput } from '../../../shared/api/index.ts';
import { formatInstant } from '../format.ts';
import { formatWorkingDuration } from './timing.ts';

type Stage = CreditStep['step'];
const branchStages: readonly Stage[] = ['investigation', 'review', 'approval'];

/** 「用时 3 小时 · 目标 2 个工作日」 (or 已等待 … for the open step), red with 超时 past its target. */
export function StepTimingText({ timing, priority }: { timing: StepTimingOutput; priority: boolean }) {
  const { t } = useTranslation();
  const duration = formatWorkingDuration(timing.workingDays, t);
  return (
    <Space size={4} wrap data-testid={`credit-timing-${timing.step}`} data-overdue={timing.overdue}>
      <Typography.Text type={timing.overdue ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
        {timing.open ? t('credit.timing.waiting', { duration }) : t('credit.timing.took', { duration })}
        {' · '}
        {priority ? t('credit.timing.targetPriority', { days: timing.targetWorkingDays }) : t('credit.timing.target', { days: timing.targetWorkingDays })}
      </Typography.Text>
      {timing.overdue && (
        <Tag color="red" variant="solid" style={{ marginInlineEnd: 0 }}>
          {priority ? t('credit.timing.overduePriority') : t('credit.timing.overdue')}
        </Tag>
      )}
    </Space>
  );
}

/** The last element that matches (Array.prototype.findLast is ES2023; the renderer targets ES2022). */
const lastWhere = <T,>(items: readonly T[], test: (item: T) => boolean): T | undefined => [...items].reverse().find(test);

/**
 * Who took a step: the branch's name for them, else — a 总行审批人 on an escalated application, not in
 * the branch's directory — head office; anyone else unnamed by their id.
 */
const nameOf = (step: Pick<CreditStep, 'step' | 'actor'>, t: TFunction) => step.actor.name ?? (step.step === 'escalated' ? t('credit.timeline.headOffice') : step.actor.id);

/** The stages shown: the branch's three, and head office's when the application went there. */
function stagesOf(detail: CreditDetail): Stage[] {
  const escalated = detail.status === 'escalated' || detail.steps.some((step) => step.step === 'escalated' || step.toStatus === 'escalated');
  return escalated ? [...branchStages, 'escalated'] : [...branchStages];
}

const stageOfStatus = (status: CreditDetail['status']): Stage | null =>
  status === 'investigation' || status === 'review' || status === 'approval' || status === 'escalated' ? status : null;

function stageState(detail: CreditDetail, stage: Stage, stages: Stage[]): 'wait' | 'process' | 'finish' | 'error' {
  const open = stageOfStatus(detail.status);
  if (open !== null) {
    const here = stages.indexOf(open);
    const index = stages.indexOf(stage);
    return index < here ? 'finish' : index === here ? 'process' : 'wait';
  }
  // Decided: the stage whose record carries the decision ends the line.
  const decision = lastWhere(detail.steps, (step) => step.action === 'approve' || step.action === 'reject');
  const decidedAt = decision === undefined ? stages.length - 1 : stages.indexOf(decision.step);
  const index = stages.indexOf(stage);
  if (index < decidedAt) return 'finish';
  if (index === decidedAt) return detail.status === 'rejected' ? 'error' : 'finish';
  return 'wait';
}

/** What a stage's box says: its last record (who, when, how long) or how long it has waited. */
function StageContent({ detail, stage, t }: { detail: CreditDetail; stage: Stage; t: TFunction }) {
  if (detail.waiting !== null && detail.waiting.step === stage) {
    const who = stage === 'approval' ? t(`credit.approvalLevels.${detail.approvalLevel}`) : stage === 'escalated' ? t('credit.approvalLevels.head_office') : null;
    return (
      <div>
        <Typography.Text style={{ fontSize: 12 }}>{t('credit.timeline.open')}</Typography.Text>
        {who !== null && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {' · '}
            {t('credit.detail.waitingFor', { who })}
          </Typography.Text>
        )}
        <div>
          <StepTimingText timing={detail.waiting} priority={detail.priority} />
        </div>
      </div>
    );
  }
  const last = lastWhere(detail.steps, (step) => step.step === stage);
  if (last === undefined) return <Typography.Text type="secondary">{t('credit.timeline.notReached')}</Typography.Text>;
  return (
    <div>
      <Typography.Text style={{ fontSize: 12 }}>
        {t(`credit.done.${last.action}`)} · {nameOf(last, t)}
      </Typography.Text>
      <div>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {formatInstant(last.actedAt)}
        </Typography.Text>
      </div>
      <StepTimingText timing={last.timing} priority={detail.priority} />
    </div>
  );
}

/**
 * 调查 → 审查 → 审批 (→ 上级行审批): the stages as steps, then every recorded action in order —
 * returns included — with who acted, when, the opinion, the attachments it names and how long the
 * step took against its target. The open step shows how long it has waited; a priority application
 * past its target says so in red (seed 000 四: 优先受理调查、优先审批放款 made visible).
 */
export function WorkflowTimeline({ detail, onOpenAttachment }: { detail: CreditDetail; onOpenAttachment: (attachment: AttachmentListItem) => void }) {
  const { t } = useTranslation();
  const stages = stagesOf(detail);
  const attachmentById = new Map(detail.attachments.map((attachment) => [attachment.id, attachment]));
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }} data-testid="credit-workflow">
      <Steps
        items={stages.map((stage) => ({
          key: stage,
          title: t(`credit.steps.${stage}`),
          status: stageState(detail, stage, stages),
          content: <StageContent detail={detail} stage={stage} t={t} />,
        }))}
        data-testid="credit-steps"
      />
      <Timeline
        data-testid="credit-timeline"
        items={[
          ...detail.steps.map((step) => ({
            key: step.id,
            color: step.action === 'reject' ? 'red' : step.action === 'return' ? 'orange' : 'green',
            content: (
              <div data-testid="credit-timeline-step" data-step={step.step} data-action={step.action}>
                <Space size={8} wrap>
                  <Typography.Text strong>
                    {t(`credit.steps.${step.step}`)} · {t(`credit.done.${step.action}`)}
                  </Typography.Text>
                  <Typography.Text type="secondary">{t('credit.timeline.actedBy', { name: nameOf(step, t), at: formatInstant(step.actedAt) })}</Typography.Text>
                </Space>
                <div>
                  <StepTimingText timing={step.timing} priority={detail.priority} />
                </div>
                <Typography.Paragraph style={{ margin: '4px 0 0', whiteSpace: 'pre-wrap' }}>
                  <Typography.Text type="secondary">{t('credit.timeline.opinion')}：</Typography.Text>
                  {step.opinion}
                </Typography.Paragraph>
                {step.attachmentIds.length > 0 && (
                  <Space size={8} wrap>
                    <Typography.Text type="secondary">{t('credit.timeline.attachments')}：</Typography.Text>
                    {step.attachmentIds.map((id) => {
                      const attachment = attachmentById.get(id);
                      // An attachment removed since (or not yet synced here) is named by its id, not a link.
                      return attachment === undefined ? (
                        <Typography.Text key={id} type="secondary">
                          {id}
                        </Typography.Text>
                      ) : (
                        <Typography.Link key={id} onClick={() => onOpenAttachment(attachment)}>
                          {attachment.fileName}
                        </Typography.Link>
                      );
                    })}
                  </Space>
                )}
              </div>
            ),
          })),
          ...(detail.waiting === null
            ? []
            : [
                {
                  key: 'open',
                  color: 'blue',
                  content: (
                    <div data-testid="credit-timeline-open">
                      <Typography.Text strong>
                        {t(`credit.steps.${detail.waiting.step}`)} · {t('credit.timeline.open')}
                      </Typography.Text>
                      <div>
                        <StepTimingText timing={detail.waiting} priority={detail.priority} />
                      </div>
                    </div>
                  ),
                },
              ]),
        ]}
      />
    </Space>
  );
}
