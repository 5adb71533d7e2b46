import { Alert, Button, Card, Descriptions, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { SettledRecord, SyncConflict } from '../../../shared/api/index.ts';
import { historyValue } from '../enterprises/historyValues.ts';
import { formatInstant } from '../format.ts';

type Author = SyncConflict['mineBy'];
export type Choice = 'mine' | 'theirs';

/** "张三 · 客户经理笔记本 A（本机） · 2026-12-01 10:00"; unknown parts are left out, an unknown person is named as such. */
function authorText(author: Author, t: TFunction): string {
  const who = author.userName ?? (author.userId === null ? t('sync.conflict.someone') : t('sync.conflict.colleague', { id: author.userId }));
  const device = author.thisDevice ? t('sync.conflict.onThisDevice', { device: author.deviceName ?? '' }).trim() : author.deviceName;
  return [who, device, author.at === null ? null : formatInstant(author.at)].filter((part) => part !== null && part !== '').join(' · ');
}

/** The column heading of the held edit: this laptop's own, a named colleague's on another laptop, or head office's. */
export function heldEditTitle(conflict: SyncConflict, t: TFunction): string {
  if (conflict.heldFor === 'this') return t('sync.mine');
  if (conflict.heldFor === 'head-office') return t('sync.conflict.headOfficeEdit');
  return t('sync.conflict.othersEdit', { who: conflict.mineBy.userName ?? t('sync.conflict.someone'), device: conflict.mineBy.deviceName ?? t('sync.conflict.otherDevice') });
}

/** The field values a choice keeps, in words: "规模：中型；环境信用评价：黄牌 环保警示". */
function keptValues(conflict: SyncConflict, choice: Choice, t: TFunction, language: string): string {
  const side = choice === 'mine' ? conflict.mine : conflict.theirs;
  return Object.keys(conflict.mine)
    .map((field) => `${t(`fields.${field}`, { defaultValue: field })}：${historyValue(field, side[field], t, language)}`)
    .join('；');
}

function choiceLabels(conflict: SyncConflict, t: TFunction): Record<Choice, string> {
  if (conflict.heldFor === 'head-office') return { mine: t('sync.conflict.keepHeadOffice'), theirs: t('sync.conflict.keepCurrent') };
  return { mine: t('sync.keepMine'), theirs: t('sync.takeTheirs') };
}

/**
 * One open conflict: the held edit against head office's current value, with labels (黄牌, 中型),
 * who made each side, where and when. Deciding asks first, naming the values that will be kept.
 * Another laptop's held edit is shown for information only: it is decided on that laptop.
 */
export function ConflictCard({ conflict, onResolve }: { conflict: SyncConflict; onResolve: (conflict: SyncConflict, choice: Choice) => Promise<void> }) {
  const { t, i18n } = useTranslation();
  const value = (field: string, v: unknown) => historyValue(field, v, t, i18n.language);
  const labels = choiceLabels(conflict, t);
  const mineEntries = Object.keys(conflict.mine);
  const rows = (mineEntries.length > 0 ? mineEntries : Object.keys(conflict.theirs)).map((field) => ({
    field,
    before: conflict.minePrev[field],
    mine: conflict.mine[field],
    theirs: conflict.theirs[field],
  }));
  const decide = (choice: Choice) => (
    <Popconfirm
      title={labels[choice]}
      description={<div data-testid="conflict-confirm">{t('sync.conflict.confirm', { values: keptValues(conflict, choice, t, i18n.language), record: conflict.recordName ?? conflict.rowId })}</div>}
      okText={t('sync.conflict.confirmOk')}
      cancelText={t('sync.conflict.cancel')}
      onConfirm={() => onResolve(conflict, choice)}
    >
      <Button data-testid={choice === 'mine' ? 'conflict-keep-mine' : 'conflict-take-theirs'}>{labels[choice]}</Button>
    </Popconfirm>
  );
  return (
    <Card
      type="inner"
      title={conflict.recordName ?? conflict.rowId}
      extra={<Tag color={conflict.heldFor === 'this' ? 'gold' : 'default'} data-testid="conflict-held-for">{t(`sync.conflict.heldFor.${conflict.heldFor}`)}</Tag>}
      data-testid="sync-conflict"
      data-held-for={conflict.heldFor}
    >
      <Table
        size="small"
        pagination={false}
        rowKey="field"
        dataSource={rows}
        columns={[
          { title: t('sync.field'), dataIndex: 'field', render: (field: string) => t(`fields.${field}`, { defaultValue: field }) },
          { title: t('sync.before'), dataIndex: 'before', render: (v: unknown, row) => value(row.field, v) },
          { title: heldEditTitle(conflict, t), dataIndex: 'mine', render: (v: unknown, row) => <Typography.Text strong data-testid="conflict-mine-value">{value(row.field, v)}</Typography.Text> },
          {
            title: t('sync.theirsNow'),
            dataIndex: 'theirs',
            render: (v: unknown, row) => <Typography.Text strong data-testid="conflict-theirs-value">{conflict.theirsDeleted ? t('sync.conflict.deleted') : value(row.field, v)}</Typography.Text>,
          },
        ]}
      />
      <Descriptions column={1} size="small" style={{ marginTop: 12 }}>
        <Descriptions.Item label={heldEditTitle(conflict, t)}>
          <span data-testid="conflict-mine-by">{authorText(conflict.mineBy, t)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('sync.theirsNow')}>
          <span data-testid="conflict-theirs-by">{t('sync.conflict.lastChanged', { who: authorText(conflict.theirsBy, t) })}</span>
        </Descriptions.Item>
      </Descriptions>
      {conflict.mayResolve ? (
        <Space style={{ marginTop: 12 }}>
          {decide('mine')}
          {decide('theirs')}
        </Space>
      ) : (
        <Alert
          type="info"
          showIcon
          style={{ marginTop: 12 }}
          data-testid="conflict-elsewhere"
          title={t('sync.conflict.decidedElsewhere', { who: conflict.mineBy.userName ?? t('sync.conflict.someone'), device: conflict.mineBy.deviceName ?? t('sync.conflict.otherDevice') })}
        />
      )}
    </Card>
  );
}

/** The record as it stands after a decision. */
export function SettledCard({ settled, onClose }: { settled: SettledRecord; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  return (
    <Alert
      type="success"
      showIcon
      closable={{ onClose }}
      data-testid="conflict-settled"
      title={t('sync.conflict.settled', { record: settled.recordName ?? settled.rowId })}
      description={
        settled.deleted ? (
          t('sync.conflict.deleted')
        ) : (
          <Descriptions column={1} size="small">
            {Object.entries(settled.fields).map(([field, v]) => (
              <Descriptions.Item key={field} label={t(`fields.${field}`, { defaultValue: field })}>
                {historyValue(field, v, t, i18n.language)}
              </Descriptions.Item>
            ))}
          </Descriptions>
        )
      }
    />
  );
}
