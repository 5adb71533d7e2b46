import { useState, type ReactNode } from 'react';
import { Alert, App as AntApp, Button, Col, Form, Input, InputNumber, Modal, Row, Table, Typography, type FormInstance, type TableColumnsType, type TableProps } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { EnterpriseDetail, Result } from '../../../shared/api/index.ts';
import { hostErrorOnForm } from '../forms.ts';
import { clearErrorsOnChange } from './validation.ts';

/**
 * One kind of per-year record of an enterprise (annual financials, resource and emission
 * indicators): a table, newest year first, and a dialog that adds a year or edits one. The
 * sections differ only in their fields, columns and how typed values become the contract's input,
 * so they declare just that and share the rest here.
 */

interface YearRow {
  id: string;
  year: number;
}

/** A text box in the dialog, two to a row. */
export interface YearRecordField {
  name: string;
  label: string;
  /** The unit, shown inside the box. */
  suffix: string;
}

interface Props<Row extends YearRow> {
  /** Form name, and the prefix of the test ids (-add, -table, -dialog) the e2e specs use. */
  name: string;
  /** Where the values live in the form: the contract input's key, so schema issues mark the right field. */
  group: string;
  detail: EnterpriseDetail;
  canWrite: boolean;
  onChange: (detail: EnterpriseDetail) => void;
  /** This kind's rows of the detail (financialsOf, indicatorsOf). */
  rowsOf: (detail: EnterpriseDetail) => readonly Row[];
  heading: ReactNode;
  /** Space above the heading, when the section follows another. */
  marginTop?: number;
  emptyText: string;
  /** Columns before the edit button. */
  columns: TableColumnsType<Row>;
  actionsWidth: number;
  scroll?: TableProps<Row>['scroll'];
  /** null while adding a year. */
  dialogTitle: (year: number | null) => string;
  dialogWidth?: number;
  help: string;
  fields: readonly YearRecordField[];
  /** A saved row as the dialog shows it. */
  toValues: (row: Row) => Record<string, unknown>;
  /** Checks and saves the typed values; null when it has marked fields on the form instead. */
  submit: (values: Record<string, unknown>, form: FormInstance) => Promise<Result<EnterpriseDetail> | null>;
}

const byYearDesc = <T extends { year: number }>(rows: readonly T[]) => [...rows].sort((a, b) => b.year - a.year);
/** A new year defaults to the last complete one, which is what is usually entered. */
const lastYear = new Date().getFullYear() - 1;

export function YearRecordSection<Row extends YearRow>(props: Props<Row>) {
  const { name, group, canWrite, onChange, fields, toValues, submit } = props;
  const rows = props.rowsOf(props.detail);
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm();
  const [editing, setEditing] = useState<{ year: number | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const year = Form.useWatch([group, 'year'], form) as number | undefined;
  // Adding a year that already has a row overwrites it: the host keeps one row per year.
  const replacing = editing?.year === null && rows.some((row) => row.year === year);

  const open = (row: Row | null) => {
    form.resetFields();
    setError(null);
    form.setFieldsValue({ [group]: row === null ? { year: lastYear } : toValues(row) });
    setEditing({ year: row?.year ?? null });
  };

  const save = async () => {
    const values = (form.getFieldsValue(true) as Record<string, Record<string, unknown> | undefined>)[group] ?? {};
    const result = await submit(values, form);
    if (result === null) return;
    if (!result.ok) return setError(hostErrorOnForm(form, result.error));
    void message.success(t('enterprises.form.saved'));
    setEditing(null);
    onChange(result.value);
  };

  return (
    <>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginTop: props.marginTop }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {props.heading}
        </Typography.Title>
        {canWrite && (
          <Button icon={<PlusOutlined />} onClick={() => open(null)} data-testid={`${name}-add`}>
            {t('enterprises.finance.addYear')}
          </Button>
        )}
      </div>
      <Table<Row>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={byYearDesc(rows)}
        locale={{ emptyText: props.emptyText }}
        scroll={props.scroll}
        data-testid={`${name}-table`}
        columns={[
          ...props.columns,
          ...(canWrite
            ? [
                {
                  key: 'actions',
                  width: props.actionsWidth,
                  render: (_: unknown, row: Row) => (
                    <Button size="small" type="link" icon={<EditOutlined />} onClick={() => open(row)} aria-label={t('enterprises.edit')} />
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={editing !== null}
        title={props.dialogTitle(editing?.year ?? null)}
        onCancel={() => setEditing(null)}
        onOk={() => void save()}
        okText={t('enterprises.form.save')}
        width={props.dialogWidth}
        forceRender
        data-testid={`${name}-dialog`}
      >
        {error !== null && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        {replacing && <Alert type="warning" showIcon title={t('enterprises.finance.replacesYear', { year })} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical" name={name} requiredMark={false} onValuesChange={clearErrorsOnChange(form)}>
          <Form.Item name={[group, 'year']} label={t('enterprises.finance.year')}>
            <InputNumber min={1900} max={2100} precision={0} disabled={editing?.year != null} style={{ width: 140 }} />
          </Form.Item>
          <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
            {props.help}
          </Typography.Paragraph>
          <Row gutter={12}>
            {fields.map((field) => (
              <Col span={12} key={field.name}>
                <Form.Item name={[group, field.name]} label={field.label}>
                  <Input suffix={field.suffix} inputMode="decimal" style={{ textAlign: 'right' }} />
                </Form.Item>
              </Col>
            ))}
          </Row>
        </Form>
      </Modal>
    </>
  );
}
