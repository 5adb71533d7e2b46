import { useState } from 'react';
import { Alert, App as AntApp, Button, DatePicker, Form, Input, Modal, Select, Space, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { contract, type EnterpriseDetail } from '../../../shared/api/index.ts';
import type { EnvironmentalRatingLevel } from '../../../shared/domain/environmentalRating.ts';
import { useAppStore } from '../stores/app.ts';
import { hostErrorOnForm } from '../forms.ts';
import { RatingPlate } from './EnterpriseTags.tsx';
import { ratingLabel, ratingLevels } from './labels.ts';
import { clearErrorsOnChange, validateEnterpriseForm } from './validation.ts';
import { ratingsOf } from './rows.ts';

interface RatingValues {
  entry: { level?: EnvironmentalRatingLevel; bureau?: string; ratedOn?: Dayjs | null };
}

/** 环境信用: the bureau's ratings, newest first; the newest is the enterprise's current plate. */
export function RatingsTab({ detail, canWrite, onChange }: { detail: EnterpriseDetail; canWrite: boolean; onChange: (detail: EnterpriseDetail) => void }) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const call = useAppStore((s) => s.call);
  const [form] = Form.useForm<RatingValues>();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ratings = [...ratingsOf(detail)].sort((a, b) => (a.ratedOn < b.ratedOn ? 1 : a.ratedOn > b.ratedOn ? -1 : 0));

  const start = () => {
    form.resetFields();
    setError(null);
    setOpen(true);
  };

  const save = async () => {
    // Untouched, the form holds no entry at all yet.
    const { entry = {} } = form.getFieldsValue(true) as Partial<RatingValues>;
    const input = validateEnterpriseForm(
      form,
      contract['enterprises.addRating'].input,
      { enterpriseId: detail.id, entry: { level: entry.level, bureau: entry.bureau ?? '', ratedOn: entry.ratedOn?.format('YYYY-MM-DD') } },
      t,
    );
    if (input === null) return;
    const result = await call('enterprises.addRating', input);
    if (!result.ok) return setError(hostErrorOnForm(form, result.error));
    void message.success(t('enterprises.ratings.added'));
    setOpen(false);
    onChange(result.value);
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="enterprise-ratings">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 12 }}>
        <Space>
          <Typography.Text>{t('enterprises.ratings.current')}</Typography.Text>
          <RatingPlate level={detail.environmentalRating} />
        </Space>
        {canWrite && (
          <Button icon={<PlusOutlined />} onClick={start} data-testid="rating-add">
            {t('enterprises.ratings.add')}
          </Button>
        )}
      </div>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={ratings}
        locale={{ emptyText: t('enterprises.ratings.empty') }}
        columns={[
          { title: t('enterprises.ratings.level'), dataIndex: 'level', width: 200, render: (level: EnvironmentalRatingLevel) => <RatingPlate level={level} /> },
          { title: t('enterprises.ratings.bureau'), dataIndex: 'bureau' },
          { title: t('enterprises.ratings.ratedOn'), dataIndex: 'ratedOn', width: 140 },
        ]}
      />
      <Modal
        open={open}
        title={t('enterprises.ratings.add')}
        onCancel={() => setOpen(false)}
        onOk={() => void save()}
        okText={t('enterprises.form.save')}
        forceRender
        data-testid="rating-dialog"
      >
        {error !== null && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical" name="rating" requiredMark={false} onValuesChange={clearErrorsOnChange(form)}>
          <Form.Item name={['entry', 'level']} label={t('enterprises.ratings.level')}>
            <Select
              options={ratingLevels.map((level) => ({ value: level, label: <RatingPlate level={level} />, title: ratingLabel(level, t, i18n.language) }))}
              data-testid="rating-level"
            />
          </Form.Item>
          <Form.Item name={['entry', 'bureau']} label={t('enterprises.ratings.bureau')}>
            <Input maxLength={100} placeholder={t('enterprises.ratings.bureauPlaceholder')} />
          </Form.Item>
          <Form.Item name={['entry', 'ratedOn']} label={t('enterprises.ratings.ratedOn')}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
