import { useEffect, useMemo, useState } from 'react';
import { Alert, App as AntApp, Button, Checkbox, Col, ConfigProvider, DatePicker, Divider, Drawer, Form, Input, InputNumber, Row, Select, Space, Switch, Typography } from 'antd';
import { CheckCircleFilled, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { contract, type EnterpriseDetail, type MethodOutput, type Result } from '../../../shared/api/index.ts';
import { can } from '../../../shared/domain/roles.ts';
import { checkDivisionCode, provinceName } from '../../../shared/domain/division.ts';
import { normalizeUscc } from '../../../shared/domain/uscc.ts';
import { useAppStore, useUser } from '../stores/app.ts';
import { describeError } from '../i18n/index.ts';
import { hostErrorOnForm } from '../forms.ts';
import { emptyFormValues, fromFormValues, toFormValues, type EnterpriseFormValues } from './formValues.ts';
import { usccFailureText, usccHint } from './usccHint.ts';
import { clearErrorsOnChange, validateEnterpriseForm } from './validation.ts';
import { focusGroupForIndustry, industryOptions, ownershipOptions, scaleOptions } from './labels.ts';

const identity = (field: string) => ['file', 'identity', field];
const green = (field: string) => ['file', 'greenCredentials', field];
const flags = (field: string) => ['file', 'flags', field];

const MAX_CONTACTS = 10;
/** Section titles flush left, like headings, rather than set in from the rule. */
const sectionTheme = { components: { Divider: { orientationMargin: 0 } } };
const thisYear = new Date().getFullYear();

/** Level (none / national / provincial) and year of a recognition; the park also has a name. */
function RecognitionField({ field, label, withName = false }: { field: string; label: string; withName?: boolean }) {
  const { t } = useTranslation();
  const level = Form.useWatch([...green(field), 'level']) as string | undefined;
  const recognised = level !== undefined && level !== 'none';
  return (
    <Row gutter={12}>
      <Col span={6}>
        <Form.Item name={[...green(field), 'level']} label={label}>
          <Select
            options={[
              { value: 'none', label: t('enterprises.levels.none') },
              { value: 'national', label: t('enterprises.levels.national') },
              { value: 'provincial', label: t('enterprises.levels.provincial') },
            ]}
            data-testid={`level-${field}`}
          />
        </Form.Item>
      </Col>
      {recognised && withName && (
        <Col span={12}>
          <Form.Item name={[...green(field), 'name']} label={t('enterprises.form.parkName')}>
            <Input maxLength={100} />
          </Form.Item>
        </Col>
      )}
      {recognised && (
        <Col span={6}>
          <Form.Item name={[...green(field), 'year']} label={t('enterprises.form.listYear')}>
            <InputNumber min={1900} max={2100} precision={0} placeholder={String(thisYear)} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      )}
    </Row>
  );
}

export interface EnterpriseFormProps {
  open: boolean;
  /** null creates a new enterprise; otherwise the file being edited, at the version shown. */
  enterprise: EnterpriseDetail | null;
  onClose: () => void;
  onSaved: (detail: EnterpriseDetail) => void;
  /** After a conflict the user reloads: the newer version replaces the page's copy too. */
  onReloaded?: (detail: EnterpriseDetail) => void;
}

/**
 * The enterprise file, create and edit, in a drawer. Every field is named by its path in
 * enterpriseFileSchema under `file`, so the contract's own schema (checked here first, then by the
 * host) marks the right field. The USCC is checked as it is typed.
 */
export function EnterpriseForm({ open, enterprise, onClose, onSaved, onReloaded }: EnterpriseFormProps) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const call = useAppStore((s) => s.call);
  const branchDivision = useAppStore((s) => s.session?.branch?.divisionCode);
  const user = useUser();
  const [form] = Form.useForm<EnterpriseFormValues>();
  const [base, setBase] = useState<EnterpriseDetail | null>(enterprise);
  const [attempted, setAttempted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [industrySearch, setIndustrySearch] = useState('');
  const canOverride = user !== null && can(user.role, 'enterprise.overrideUscc');

  useEffect(() => {
    if (!open) return;
    setBase(enterprise);
    setAttempted(false);
    setError(null);
    setConflict(false);
    form.resetFields();
    form.setFieldsValue(enterprise === null ? emptyFormValues(branchDivision) : toFormValues(enterprise.file));
  }, [open, enterprise, form, branchDivision]);

  const uscc = (Form.useWatch(identity('uscc'), form) as string | undefined) ?? '';
  const usccOverride = (Form.useWatch('usccOverride', form) as boolean | undefined) ?? false;
  const divisionCode = (Form.useWatch(identity('divisionCode'), form) as string | undefined) ?? '';
  const industryCode = Form.useWatch(identity('industryCode'), form) as string | undefined;
  const miitRecommended = (Form.useWatch([...green('miitRecommendation'), 'recommended'], form) as boolean | undefined) ?? false;
  const outdatedFlagged = (Form.useWatch([...flags('outdatedCapacity'), 'flagged'], form) as boolean | undefined) ?? false;

  // The USCC box: live hint while typing, the exact fault once it is visible, 特批 for a manager.
  const hint = usccHint(uscc);
  const checkFaultOnly = hint.state === 'error' && hint.failure.reason === 'check';
  const overriding = checkFaultOnly && usccOverride;
  let usccHelp: string | undefined;
  let usccStatus: 'error' | 'warning' | undefined;
  if (hint.state === 'typing') {
    usccHelp = attempted ? usccFailureText({ reason: 'length', length: hint.length }, t) : t('enterprises.uscc.typing', { length: hint.length });
    usccStatus = attempted ? 'error' : undefined;
  } else if (hint.state === 'error') {
    usccHelp = overriding && hint.failure.reason === 'check' ? t('enterprises.uscc.overridden', { expected: hint.failure.expected }) : usccFailureText(hint.failure, t);
    usccStatus = overriding ? 'warning' : 'error';
  }

  const division = divisionCode.length === 6 ? checkDivisionCode(divisionCode) : null;
  let divisionHelp: string | undefined;
  if (division !== null) {
    if (!division.ok) divisionHelp = t('enterprises.validation.divisionCode');
    else if (division.level === 'province') divisionHelp = t('enterprises.validation.divisionProvince');
  }
  const provinceLabel = division?.ok === true ? (provinceName(divisionCode) ?? null) : null;

  const focusGroup = focusGroupForIndustry(industryCode);
  const industryChoices = useMemo(() => industryOptions(industrySearch, false, industryCode), [industrySearch, industryCode]);

  const finish = (result: Result<MethodOutput<'enterprises.create'>>) => {
    if (result.ok) {
      void message.success(t('enterprises.form.saved'));
      onSaved(result.value);
      return;
    }
    if (result.error.code === 'CONFLICT' && base !== null) {
      setConflict(true);
      return;
    }
    setError(hostErrorOnForm(form, result.error));
    scrollToFirstError();
  };

  const scrollToFirstError = () => {
    const first = form.getFieldsError().find((field) => field.errors.length > 0);
    if (first !== undefined) form.scrollToField(first.name, { block: 'center' });
  };

  const save = async () => {
    setAttempted(true);
    setError(null);
    const file = fromFormValues(form.getFieldsValue(true) as EnterpriseFormValues);
    setSaving(true);
    try {
      if (base === null) {
        const input = validateEnterpriseForm(form, contract['enterprises.create'].input, { file }, t);
        if (input === null) return scrollToFirstError();
        finish(await call('enterprises.create', input));
      } else {
        const input = validateEnterpriseForm(form, contract['enterprises.update'].input, { id: base.id, version: base.version, file }, t);
        if (input === null) return scrollToFirstError();
        finish(await call('enterprises.update', input));
      }
    } finally {
      setSaving(false);
    }
  };

  const reload = async () => {
    if (base === null) return;
    const result = await call('enterprises.get', { id: base.id });
    if (!result.ok) return setError(describeError(result.error));
    setBase(result.value);
    setConflict(false);
    form.resetFields();
    form.setFieldsValue(toFormValues(result.value.file));
    onReloaded?.(result.value);
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={880}
      forceRender
      title={base === null ? t('enterprises.form.createTitle') : `${t('enterprises.form.editTitle')} · ${base.file.identity.name}`}
      footer={
        <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('enterprises.form.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => void save()} data-testid="enterprise-save">
            {t('enterprises.form.save')}
          </Button>
        </Space>
      }
      data-testid="enterprise-form"
    >
      {conflict && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('enterprises.form.conflict')}
          description={t('enterprises.form.conflictHelp')}
          action={
            <Button size="small" onClick={() => void reload()} data-testid="enterprise-reload">
              {t('enterprises.form.reload')}
            </Button>
          }
          data-testid="enterprise-conflict"
        />
      )}
      {error !== null && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="enterprise-form-error" />}
      <ConfigProvider theme={sectionTheme}>
        <Form form={form} layout="vertical" name="enterprise" requiredMark={false} onValuesChange={clearErrorsOnChange(form)}>
          <Divider titlePlacement="start" style={{ marginTop: 0 }}>
            {t('enterprises.form.sectionIdentity')}
          </Divider>
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item name={identity('uscc')} label={t('enterprises.fields.uscc')} help={usccHelp} validateStatus={usccStatus} normalize={(value: string) => normalizeUscc(value ?? '')}>
                <Input
                  className="gl-mono"
                  autoComplete="off"
                  spellCheck={false}
                  placeholder="91360222MA35XXXXXX"
                  suffix={hint.state === 'ok' ? <CheckCircleFilled style={{ color: '#1f7a4d' }} aria-label={t('enterprises.uscc.ok')} /> : <span />}
                  data-testid="uscc-input"
                />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name={identity('name')} label={t('enterprises.fields.name')}>
                <Input maxLength={100} />
              </Form.Item>
            </Col>
          </Row>
          {canOverride && checkFaultOnly && (
            <Row gutter={12}>
              <Col span={24}>
                <Form.Item name="usccOverride" valuePropName="checked" style={{ marginBottom: usccOverride ? 8 : undefined }}>
                  <Checkbox data-testid="uscc-override">{t('enterprises.form.usccOverride')}</Checkbox>
                </Form.Item>
                {usccOverride && (
                  <Form.Item name={[...identity('usccCheckOverride'), 'reason']} label={t('enterprises.form.usccOverrideReason')} extra={t('enterprises.form.usccOverrideHelp')}>
                    <Input.TextArea rows={2} maxLength={500} showCount />
                  </Form.Item>
                )}
              </Col>
            </Row>
          )}
          {!canOverride && usccOverride && checkFaultOnly && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 16 }}
              title={t('enterprises.form.usccOverridden', { reason: (form.getFieldValue(['file', 'identity', 'usccCheckOverride', 'reason']) as string | undefined) ?? '' })}
            />
          )}
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item name={identity('legalRepresentative')} label={t('enterprises.fields.legalRepresentative')}>
                <Input maxLength={100} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item
                name={identity('divisionCode')}
                label={t('enterprises.fields.divisionCode')}
                help={divisionHelp}
                validateStatus={divisionHelp === undefined ? undefined : 'error'}
                extra={provinceLabel === null ? t('enterprises.form.divisionHelp') : undefined}
                normalize={(value: string) => (value ?? '').replace(/\D/g, '')}
              >
                <Input className="gl-mono" maxLength={6} inputMode="numeric" suffix={provinceLabel === null ? <span /> : <Typography.Text type="secondary">{provinceLabel}</Typography.Text>} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name={identity('address')} label={t('enterprises.fields.address')}>
            <Input maxLength={200} />
          </Form.Item>
          <Row gutter={12}>
            <Col span={10}>
              <Form.Item
                name={identity('industryCode')}
                label={t('enterprises.fields.industryCode')}
                extra={
                  industryCode === undefined || industryCode === ''
                    ? t('enterprises.form.industryHelp')
                    : focusGroup === undefined
                      ? t('enterprises.form.notFocus')
                      : t('enterprises.form.focusGroup', { group: i18n.language.startsWith('en') ? focusGroup.en : focusGroup.zh })
                }
              >
                <Select
                  showSearch={{ optionFilterProp: 'search', onSearch: setIndustrySearch, filterOption: true }}
                  options={industryChoices}
                  placeholder={t('enterprises.form.industryPlaceholder')}
                  data-testid="industry-select"
                />
              </Form.Item>
            </Col>
            <Col span={4}>
              <Form.Item name={identity('scale')} label={t('enterprises.fields.scale')}>
                <Select options={scaleOptions(t)} data-testid="scale-select" />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item name={identity('ownership')} label={t('enterprises.fields.ownership')}>
                <Select options={ownershipOptions(t)} popupMatchSelectWidth={150} data-testid="ownership-select" />
              </Form.Item>
            </Col>
            <Col span={4}>
              <Form.Item name={identity('employees')} label={t('enterprises.fields.employees')}>
                <InputNumber min={0} max={10_000_000} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
          <Typography.Text strong>{t('enterprises.fields.contacts')}</Typography.Text>
          <Form.List name={identity('contacts')}>
            {(fields, { add, remove }) => (
              <div style={{ marginTop: 8 }}>
                {fields.map((field) => (
                  <Row gutter={12} key={field.key} align="top">
                    <Col span={9}>
                      <Form.Item name={[field.name, 'name']}>
                        <Input placeholder={t('enterprises.form.contactName')} aria-label={t('enterprises.form.contactName')} maxLength={50} />
                      </Form.Item>
                    </Col>
                    <Col span={12}>
                      <Form.Item name={[field.name, 'phone']}>
                        <Input placeholder={t('enterprises.form.contactPhone')} aria-label={t('enterprises.form.contactPhone')} inputMode="tel" />
                      </Form.Item>
                    </Col>
                    <Col span={3}>
                      <Button icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('enterprises.form.remove')} />
                    </Col>
                  </Row>
                ))}
                <Form.Item>
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ name: '', phone: '' })} disabled={fields.length >= MAX_CONTACTS}>
                    {t('enterprises.form.addContact')}
                  </Button>
                </Form.Item>
              </div>
            )}
          </Form.List>

          <Divider titlePlacement="start">{t('enterprises.form.sectionGreen')}</Divider>
          <RecognitionField field="greenFactory" label={t('enterprises.fields.greenFactory')} />
          <RecognitionField field="greenPark" label={t('enterprises.fields.greenPark')} withName />
          <RecognitionField field="greenSupplyChain" label={t('enterprises.fields.greenSupplyChain')} />
          <RecognitionField field="waterEfficiencyBenchmark" label={t('enterprises.fields.waterEfficiencyBenchmark')} />
          <Typography.Text strong>{t('enterprises.fields.greenProducts')}</Typography.Text>
          <Form.List name={green('greenProducts')}>
            {(fields, { add, remove }) => (
              <div style={{ marginTop: 8 }}>
                {fields.map((field) => (
                  <Row gutter={12} key={field.key}>
                    <Col span={15}>
                      <Form.Item name={[field.name, 'name']}>
                        <Input placeholder={t('enterprises.form.productName')} aria-label={t('enterprises.form.productName')} maxLength={100} />
                      </Form.Item>
                    </Col>
                    <Col span={6}>
                      <Form.Item name={[field.name, 'year']}>
                        <InputNumber min={1900} max={2100} precision={0} placeholder={t('enterprises.form.listYear')} aria-label={t('enterprises.form.listYear')} style={{ width: '100%' }} />
                      </Form.Item>
                    </Col>
                    <Col span={3}>
                      <Button icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('enterprises.form.remove')} />
                    </Col>
                  </Row>
                ))}
                <Form.Item>
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ name: '', year: thisYear })}>
                    {t('enterprises.form.addProduct')}
                  </Button>
                </Form.Item>
              </div>
            )}
          </Form.List>
          <Row gutter={12} align="top">
            <Col span={8}>
              <Form.Item name={[...green('miitRecommendation'), 'recommended']} label={t('enterprises.fields.miitRecommendation')} valuePropName="checked">
                <Switch checkedChildren={t('enterprises.form.yes')} unCheckedChildren={t('enterprises.form.no')} />
              </Form.Item>
            </Col>
            {miitRecommended && (
              <>
                <Col span={8}>
                  <Form.Item name={[...green('miitRecommendation'), 'date']} label={t('enterprises.fields.miitDate')}>
                    <DatePicker style={{ width: '100%' }} />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item name={[...green('miitRecommendation'), 'batch']} label={t('enterprises.fields.miitBatch')}>
                    <Input maxLength={50} placeholder={t('enterprises.form.batchPlaceholder')} />
                  </Form.Item>
                </Col>
              </>
            )}
          </Row>

          <Divider titlePlacement="start">{t('enterprises.form.sectionFlags')}</Divider>
          <Row gutter={12} align="top">
            <Col span={8}>
              <Form.Item name={[...flags('outdatedCapacity'), 'flagged']} label={t('enterprises.flags.outdatedCapacity')} valuePropName="checked">
                <Switch checkedChildren={t('enterprises.form.yes')} unCheckedChildren={t('enterprises.form.no')} />
              </Form.Item>
            </Col>
            {outdatedFlagged && (
              <>
                <Col span={8}>
                  <Form.Item name={[...flags('outdatedCapacity'), 'exitDeadline']} label={t('enterprises.fields.exitDeadline')}>
                    <DatePicker style={{ width: '100%' }} />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item name={[...flags('outdatedCapacity'), 'exitedOn']} label={t('enterprises.fields.exitedOn')} extra={t('enterprises.form.exitedOnHelp')}>
                    <DatePicker style={{ width: '100%' }} />
                  </Form.Item>
                </Col>
              </>
            )}
          </Row>
          <Row gutter={12}>
            <Col span={8}>
              <Form.Item name={flags('greenList')} label={t('enterprises.flags.greenList')} valuePropName="checked">
                <Switch checkedChildren={t('enterprises.form.yes')} unCheckedChildren={t('enterprises.form.no')} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name={flags('negativeList')} label={t('enterprises.flags.negativeList')} valuePropName="checked">
                <Switch checkedChildren={t('enterprises.form.yes')} unCheckedChildren={t('enterprises.form.no')} />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </ConfigProvider>
    </Drawer>
  );
}
