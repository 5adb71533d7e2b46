import { useEffect, useRef, useState } from 'react';
import { Alert, App as AntApp, Button, Col, ConfigProvider, DatePicker, Divider, Drawer, Form, Input, InputNumber, Row, Select, Space, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CreditDetail, GateResultOutput, HostError } from '../../../shared/api/index.ts';
import { creditProducts, purposeKinds, type PurposeKind } from '../../../shared/domain/creditApplication.ts';
import { guaranteeModes } from '../../../shared/domain/guarantee.ts';
import { formatWanYuan, yuanToFen } from '../../../shared/domain/money.ts';
import { useAppStore } from '../stores/app.ts';
import { describeError } from '../i18n/index.ts';
import { hostErrorOnForm } from '../forms.ts';
import { clearErrorsOnChange } from '../enterprises/validation.ts';
import { EnterprisePicker, type EnterpriseChoice } from '../enterprises/EnterprisePicker.tsx';
import { GateVerdict } from './GateVerdict.tsx';
import { creditTermsFromForm, emptyCreditForm, fieldOfContractPath, projectFieldsFor, toCreditFormValues, type CreditFormValues } from './formValues.ts';

/** Section titles flush left, as in the enterprise form. */
const sectionTheme = { components: { Divider: { orientationMargin: 0 } } };
export interface ApplicationFormProps {
  open: boolean;
  /** null opens a new application; otherwise the one being edited (its investigation is open). */
  application: CreditDetail | null;
  /** A new application from an enterprise's page starts with that enterprise chosen. */
  enterprise?: { id: string; name: string; uscc: string } | null;
  onClose: () => void;
  onSaved: (detail: CreditDetail) => void;
}

/**
 * 新建/修改授信申请, in a drawer. The enterprise and the purpose category come first: the credit
 * gate (credit.gate, the same shared/domain rule the host runs on create, submit and approve)
 * answers before any amount is typed, and the terms stay closed while it denies. Money is typed
 * in 元 and the rate in %, checked with the contract's own schema (formValues.ts).
 */
export function ApplicationForm({ open, application, enterprise = null, onClose, onSaved }: ApplicationFormProps) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const call = useAppStore((s) => s.call);
  const [form] = Form.useForm<CreditFormValues>();
  const [pinned, setPinned] = useState<EnterpriseChoice | null>(null);
  const [gate, setGate] = useState<GateResultOutput | null>(null);
  const [gateError, setGateError] = useState<HostError | null>(null);
  const [checking, setChecking] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const gateRequest = useRef(0);
  const editing = application !== null;

  useEffect(() => {
    if (!open) return;
    setError(null);
    setGate(null);
    setGateError(null);
    form.resetFields();
    if (application !== null) {
      form.setFieldsValue(toCreditFormValues(application.terms, application.notes));
      setPinned({ id: application.enterpriseId, name: application.enterpriseName, uscc: application.enterpriseUscc });
    } else {
      form.setFieldsValue(emptyCreditForm(enterprise?.id));
      setPinned(enterprise);
    }
  }, [open, application, enterprise, form]);

  const enterpriseId = Form.useWatch('enterpriseId', form) as string | undefined;
  const purposeKind = (Form.useWatch('purposeKind', form) as PurposeKind | undefined) ?? 'general';
  const product = Form.useWatch('product', form) as CreditFormValues['product'];
  const amountText = Form.useWatch('amountText', form) as string | undefined;
  const projectMode = projectFieldsFor(product);

  // The gate answers for the enterprise and purpose chosen; a slower answer for an earlier choice is dropped.
  useEffect(() => {
    if (!open || enterpriseId === undefined) return;
    const mine = ++gateRequest.current;
    setChecking(true);
    void call('credit.gate', { enterpriseId, purposeKind }).then((result) => {
      if (mine !== gateRequest.current) return;
      setChecking(false);
      if (result.ok) {
        setGate(result.value);
        setGateError(null);
      } else {
        setGate(null);
        setGateError(result.error);
      }
    });
  }, [open, call, enterpriseId, purposeKind]);

  // The terms open once the gate has answered and does not deny.
  const termsOpen = gate !== null && gate.verdict !== 'deny' && !checking;
  const typedAmount = amountText === undefined || amountText.trim() === '' ? null : yuanToFen(amountText);

  const save = async () => {
    setError(null);
    const values = form.getFieldsValue(true) as CreditFormValues;
    const parsed = creditTermsFromForm(values, t);
    if (!parsed.ok) {
      form.setFields(parsed.issues.map((issue) => ({ name: issue.field, errors: [issue.message] })));
      const first = parsed.issues[0];
      if (first !== undefined) form.scrollToField(first.field, { block: 'center' });
      return;
    }
    const notes = values.notes?.trim() ? values.notes.trim() : null;
    setSaving(true);
    try {
      const result = application === null ? await call('credit.create', { terms: parsed.terms, notes }) : await call('credit.update', { id: application.id, version: application.version, terms: parsed.terms, notes });
      if (!result.ok) {
        // The host names schema fields by their contract path (terms.amountFen): mark the form's own field.
        const issues = result.error.details?.issues?.map((issue) => ({ ...issue, path: [fieldOfContractPath(issue.path)] }));
        const shown = hostErrorOnForm(form, issues === undefined ? result.error : { ...result.error, details: { ...result.error.details, issues } });
        setError(shown ?? null);
        return;
      }
      void message.success(application === null ? t('credit.form.saved') : t('credit.form.updated'));
      onSaved(result.value);
    } finally {
      setSaving(false);
    }
  };

  const label = (key: string) => t(`credit.form.${key}`);

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={820}
      forceRender
      title={editing ? `${label('editTitle')} · ${application.enterpriseName}` : label('title')}
      footer={
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          <Typography.Text type="secondary">{label('required')}</Typography.Text>
          <Space>
            <Button onClick={onClose}>{label('cancel')}</Button>
            <Button type="primary" loading={saving} disabled={!termsOpen} onClick={() => void save()} data-testid="credit-save">
              {editing ? label('saveEdit') : label('save')}
            </Button>
          </Space>
        </Space>
      }
      data-testid="credit-form"
    >
      {error !== null && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="credit-form-error" />}
      <ConfigProvider theme={sectionTheme}>
        <Form form={form} layout="vertical" name="credit" requiredMark onValuesChange={clearErrorsOnChange(form)}>
          <Row gutter={12}>
            <Col span={15}>
              <Form.Item name="enterpriseId" required label={label('enterprise')}>
                <EnterprisePicker pinned={pinned} onPick={setPinned} disabled={editing} placeholder={label('enterprisePlaceholder')} ariaLabel={label('enterprise')} testId="credit-enterprise" />
              </Form.Item>
            </Col>
            <Col span={9}>
              <Form.Item name="purposeKind" required label={label('purposeKind')} extra={label('purposeKindHelp')}>
                <Select options={purposeKinds.map((kind) => ({ value: kind, label: t(`credit.purposeKinds.${kind}`) }))} aria-label={label('purposeKind')} data-testid="credit-purpose-kind" />
              </Form.Item>
            </Col>
          </Row>

          {enterpriseId === undefined && <Alert type="info" showIcon title={t('credit.gate.pickFirst')} data-testid="credit-gate-pick" />}
          {enterpriseId !== undefined && checking && gate === null && <Alert type="info" showIcon title={t('credit.gate.checking')} />}
          {gateError !== null && <Alert type="error" showIcon title={describeError(gateError)} />}
          {gate !== null && (
            <>
              <GateVerdict gate={gate} />
              {gate.verdict === 'deny' && (
                <Typography.Paragraph type="danger" style={{ marginTop: 8 }} data-testid="credit-denied">
                  {label('deniedNoSave')}
                </Typography.Paragraph>
              )}
            </>
          )}
          <fieldset disabled={!termsOpen} style={{ border: 'none', padding: 0, margin: 0, opacity: termsOpen ? 1 : 0.55 }} data-testid="credit-terms">
            <Divider titlePlacement="start">{label('sectionTerms')}</Divider>
            <Row gutter={12}>
              <Col span={8}>
                <Form.Item name="product" required label={label('product')}>
                  <Select disabled={!termsOpen} options={creditProducts.map((value) => ({ value, label: t(`credit.products.${value}`) }))} aria-label={label('product')} data-testid="credit-product" />
                </Form.Item>
              </Col>
              <Col span={7}>
                <Form.Item
                  name="amountText"
                  required
                  label={label('amount')}
                  extra={typedAmount?.ok === true && typedAmount.fen > 0 ? t('credit.form.amountWan', { wan: formatWanYuan(typedAmount.fen) }) : label('amountHelp')}
                >
                  <Input inputMode="decimal" suffix={label('amountUnit')} autoComplete="off" aria-label={label('amount')} data-testid="credit-amount" />
                </Form.Item>
              </Col>
              <Col span={4}>
                <Form.Item name="termMonths" required label={label('termMonths')}>
                  <InputNumber min={1} max={360} precision={0} suffix={label('termUnit')} style={{ width: '100%' }} aria-label={label('termMonths')} data-testid="credit-term" />
                </Form.Item>
              </Col>
              <Col span={5}>
                <Form.Item name="rateText" required label={label('rate')} extra={label('rateHelp')}>
                  <Input inputMode="decimal" suffix={label('rateUnit')} autoComplete="off" aria-label={label('rate')} data-testid="credit-rate" />
                </Form.Item>
              </Col>
            </Row>

            <Divider titlePlacement="start">{label('sectionPurpose')}</Divider>
            <Form.Item name="purpose" required label={label('purpose')}>
              <Input.TextArea rows={2} maxLength={500} showCount placeholder={label('purposePlaceholder')} aria-label={label('purpose')} data-testid="credit-purpose" />
            </Form.Item>
            <Row gutter={12}>
              <Col span={12}>
                <Form.Item name="guaranteeMode" required label={label('guaranteeMode')}>
                  <Select disabled={!termsOpen} options={guaranteeModes.map((value) => ({ value, label: t(`credit.guaranteeModes.${value}`) }))} aria-label={label('guaranteeMode')} data-testid="credit-guarantee" />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="greenProject" valuePropName="checked" label={label('greenProject')} extra={label('greenProjectHelp')}>
                  <Switch disabled={!termsOpen} checkedChildren={t('credit.detail.yes')} unCheckedChildren={t('credit.detail.no')} data-testid="credit-green" />
                </Form.Item>
              </Col>
            </Row>

            {projectMode !== 'none' && (
              <>
                <Divider titlePlacement="start">{label('sectionProject')}</Divider>
                {projectMode === 'optional' && <Typography.Paragraph type="secondary">{label('projectOptional')}</Typography.Paragraph>}
                <Row gutter={12}>
                  <Col span={10}>
                    <Form.Item name="projectName" required={projectMode === 'required'} label={label('projectName')}>
                      <Input maxLength={100} aria-label={label('projectName')} data-testid="credit-project-name" />
                    </Form.Item>
                  </Col>
                  <Col span={7}>
                    <Form.Item name="projectTotalInvestmentText" required={projectMode === 'required'} label={label('projectTotalInvestment')}>
                      <Input inputMode="decimal" suffix={label('amountUnit')} autoComplete="off" aria-label={label('projectTotalInvestment')} data-testid="credit-project-investment" />
                    </Form.Item>
                  </Col>
                  <Col span={7}>
                    <Form.Item name="projectExpectedStart" required={projectMode === 'required'} label={label('projectExpectedStart')}>
                      <DatePicker disabled={!termsOpen} style={{ width: '100%' }} aria-label={label('projectExpectedStart')} data-testid="credit-project-start" />
                    </Form.Item>
                  </Col>
                </Row>
              </>
            )}

            <Form.Item name="notes" label={label('notes')}>
              <Input.TextArea rows={2} maxLength={2000} aria-label={label('notes')} />
            </Form.Item>
          </fieldset>
        </Form>
      </ConfigProvider>
    </Drawer>
  );
}
