import { useEffect, useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Col, DatePicker, Form, Input, Modal, Row, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { HostError, LoanDetail } from '../../../shared/api/index.ts';
import { guaranteeModes } from '../../../shared/domain/guarantee.ts';
import { loanClassifications, loanStatuses } from '../../../shared/domain/loan.ts';
import { can } from '../../../shared/domain/roles.ts';
import { useAppStore, useUser } from '../stores/app.ts';
import { describeError } from '../i18n/index.ts';
import { issueText } from '../forms.ts';
import { bpToPercentText, fenToYuanText, loanFromForm, type LoanFormField, type LoanFormValues } from './formValues.ts';

const DAY = 'YYYY-MM-DD';
const dateFields = ['balanceAsOf', 'disbursedOn', 'maturesOn'] as const;
type FormShape = Omit<LoanFormValues, (typeof dateFields)[number]> & Partial<Record<(typeof dateFields)[number], Dayjs | null>>;

function initialValues(loan: LoanDetail | null): FormShape {
  if (loan === null) return { status: 'outstanding', classification: 'normal', balanceAsOf: dayjs() };
  return {
    enterpriseId: loan.enterpriseId,
    loanNumber: loan.loanNumber,
    amount: fenToYuanText(loan.amount),
    balance: fenToYuanText(loan.balance),
    balanceAsOf: dayjs(loan.balanceAsOf),
    disbursedOn: dayjs(loan.disbursedOn),
    maturesOn: dayjs(loan.maturesOn),
    rateBp: bpToPercentText(loan.rateBp),
    classification: loan.classification,
    guaranteeMode: loan.guaranteeMode,
    status: loan.status,
    purpose: loan.purpose,
  };
}

/** The borrower, searched in the enterprise register as it is typed (name, initials or USCC prefix). */
function EnterprisePicker({ value, onChange, initial }: { value?: string; onChange?: (id: string | undefined) => void; initial: { id: string; name: string } | null }) {
  const { t } = useTranslation();
  const call = useAppStore((s) => s.call);
  const [options, setOptions] = useState<{ value: string; label: string }[]>(initial === null ? [] : [{ value: initial.id, label: initial.name }]);
  const asked = useRef(0);
  const search = (query: string) => {
    const mine = (asked.current += 1);
    const text = query.trim();
    void call('enterprises.list', { filter: text === '' ? {} : { query: text }, limit: 20 }).then((result) => {
      if (mine !== asked.current || !result.ok) return;
      setOptions(result.value.rows.map((row) => ({ value: row.id, label: `${row.name}（${row.uscc}）` })));
    });
  };
  useEffect(() => {
    if (initial === null) search('');
    // Only on opening: later searches follow the typing.
  }, []);
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: search }}
      value={value}
      onChange={onChange}
      options={options}
      placeholder={t('loans.form.enterprisePlaceholder')}
      data-testid="loan-enterprise"
    />
  );
}

/**
 * 新增借据 / 编辑: a loan typed by hand, checked as it is saved with the schema the host applies
 * (Chinese messages on each field), amounts typed in 元 and kept in 分.
 */
export function LoanForm({
  open,
  loan,
  enterprise,
  onClose,
  onSaved,
}: {
  open: boolean;
  loan: LoanDetail | null;
  /** A new loan from an enterprise's page starts with that borrower. */
  enterprise?: { id: string; name: string };
  onClose: () => void;
  onSaved: (detail: LoanDetail) => void;
}) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const call = useAppStore((s) => s.call);
  const user = useUser();
  const [form] = Form.useForm<FormShape>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<HostError | null>(null);
  const canWriteOff = user !== null && can(user.role, 'loan.writeOff');

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({ ...initialValues(loan), ...(loan === null && enterprise !== undefined && { enterpriseId: enterprise.id }) });
    setProblem(null);
  }, [open, loan, enterprise, form]);

  const showProblems = (problems: ReturnType<typeof loanFromForm> & { ok: false }) => {
    const byField = new Map<LoanFormField, string[]>();
    for (const p of problems.problems) byField.set(p.field, [...(byField.get(p.field) ?? []), 'key' in p ? t(p.key, p.params) : p.text]);
    form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  };

  const save = async () => {
    const shape = form.getFieldsValue(true);
    const values: LoanFormValues = { ...shape, ...Object.fromEntries(dateFields.map((field) => [field, shape[field]?.format(DAY) ?? null])) };
    const parsed = loanFromForm(values, loan?.applicationId ?? null);
    if (!parsed.ok) return showProblems(parsed);
    setBusy(true);
    try {
      const result = loan === null ? await call('loans.create', { loan: parsed.loan }) : await call('loans.update', { id: loan.id, version: loan.version, loan: parsed.loan });
      if (!result.ok) {
        // Field issues from the host (a loan number already in the branch) go on their fields.
        const issues = result.error.details?.issues ?? [];
        if (issues.length > 0) form.setFields(issues.map((issue) => ({ name: issue.path.filter((p) => p !== 'loan')[0] as LoanFormField, errors: [issueText(issue)] })));
        return setProblem(result.error);
      }
      void message.success(t('loans.form.saved', { number: result.value.loanNumber }));
      onSaved(result.value);
    } finally {
      setBusy(false);
    }
  };

  const yuan = <Input inputMode="decimal" suffix={t('loans.form.yuanUnit')} style={{ textAlign: 'right' }} />;
  return (
    <Modal
      open={open}
      width={760}
      title={loan === null ? t('loans.form.createTitle') : t('loans.form.editTitle', { number: loan.loanNumber })}
      onCancel={onClose}
      maskClosable={false}
      destroyOnHidden
      footer={
        <>
          <Button onClick={onClose}>{t('loans.form.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => void save()} data-testid="loan-save">
            {t('loans.form.save')}
          </Button>
        </>
      }
    >
      <Form
        form={form}
        name="loan"
        layout="vertical"
        requiredMark
        onValuesChange={(changed: Record<string, unknown>) => form.setFields(Object.keys(changed).map((name) => ({ name: name as LoanFormField, errors: [] })))}
        data-testid="loan-form"
      >
        <Typography.Paragraph type="secondary">{t('loans.form.help')}</Typography.Paragraph>
        {problem !== null && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            title={problem.code === 'CONFLICT' ? t('loans.form.conflict') : describeError(problem)}
            data-testid="loan-form-error"
          />
        )}
        <Row gutter={16}>
          <Col span={14}>
            <Form.Item name="enterpriseId" label={t('loans.fields.enterprise')} required>
              <EnterprisePicker initial={loan === null ? (enterprise ?? null) : { id: loan.enterpriseId, name: loan.enterpriseName }} />
            </Form.Item>
          </Col>
          <Col span={10}>
            <Form.Item name="loanNumber" label={t('loans.fields.loanNumber')} required>
              <Input className="gl-mono" maxLength={40} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="amount" label={t('loans.fields.amount')} required>
              {yuan}
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="balance" label={t('loans.fields.balance')} required>
              {yuan}
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="balanceAsOf" label={t('loans.fields.balanceAsOf')} required>
              <DatePicker format={DAY} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="disbursedOn" label={t('loans.fields.disbursedOn')} required>
              <DatePicker format={DAY} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="maturesOn" label={t('loans.fields.maturesOn')} required>
              <DatePicker format={DAY} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="rateBp" label={t('loans.fields.rateBp')} required>
              <Input inputMode="decimal" suffix={t('loans.form.percentUnit')} style={{ textAlign: 'right' }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="classification" label={t('loans.fields.classification')} required>
              <Select options={loanClassifications.map((value) => ({ value, label: t(`loans.classifications.${value}`) }))} data-testid="loan-classification-select" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="guaranteeMode" label={t('loans.fields.guaranteeMode')} required>
              <Select options={guaranteeModes.map((value) => ({ value, label: t(`loans.guaranteeModes.${value}`) }))} data-testid="loan-guarantee-select" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="status" label={t('loans.fields.status')} required>
              <Select
                options={loanStatuses.map((value) => ({
                  value,
                  label: t(`loans.statuses.${value}`),
                  // The host refuses a write-off by anyone but a credit manager; the form does not offer it.
                  disabled: value === 'written_off' && !canWriteOff && loan?.status !== 'written_off',
                  title: value === 'written_off' && !canWriteOff ? t('loans.form.writeOffHint') : undefined,
                }))}
                data-testid="loan-status-select"
              />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="purpose" label={t('loans.fields.purpose')}>
              <Input maxLength={200} placeholder={t('loans.form.purposePlaceholder')} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
