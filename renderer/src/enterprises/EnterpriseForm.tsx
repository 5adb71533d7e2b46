import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Alert, App as AntApp, Button, Checkbox, Col, ConfigProvider, DatePicker, Divider, Drawer, Form, Input, InputNumber, Row, Select, Space, Switch, Typography, type FormItemProps } from 'antd';
import { CheckCircleFilled, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { contract, type EnterpriseDetail, type MethodOutput, type Result } from '../../../shared/api/index.ts';
import { can } from '../../../shared/domain/roles.ts';
import { checkDivisionCode, divisionPlace } from '../../../shared/domain/division.ts';
import { normalizeUscc } from '../../../shared/domain/uscc.ts';
import { useAppStore, useUser } from '../stores/app.ts';
import { describeError } from '../i18n/index.ts';
import { hostErrorOnForm } from '../forms.ts';
import { emptyFormValues, fromFormValues, toFormValues, type EnterpriseFormValues } from './formValues.ts';
import { usccFailureText, usccHint } from './usccHint.ts';
import { clearErrorsOnChange, validateEnterpriseForm } from './validation.ts';
import { focusGroupForIndustry, industryOptions, ownershipOptions, scaleOptions } from './labels.ts';

type NamePath = FormItemProps['name'];

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

/** A flag, as a switch that says yes or no in the UI language. */
function YesNoField({ name, label }: { name: NamePath; label: string }) {
  const { t } = useTranslation();
  return (
    <Form.Item name={name} label={label} valuePropName="checked">
      <Switch checkedChildren={t('enterprises.form.yes')} unCheckedChildren={t('enterprises.form.no')} />
    </Form.Item>
  );
}

/** A yes/no switch on a row whose other fields (children, in columns of 8) are asked for only while it is on. */
function SwitchWithDetails({ name, label, children }: { name: NamePath; label: string; children: ReactNode }) {
  const on = (Form.useWatch(name) as boolean | undefined) ?? false;
  return (
    <Row gutter={12} align="top">
      <Col span={8}>
        <YesNoField name={name} label={label} />
      </Col>
      {on && children}
    </Row>
  );
}

/** A date in a column of 8, beside a SwitchWithDetails. */
function DateField({ name, label, extra }: { name: NamePath; label: string; extra?: string }) {
  return (
    <Col span={8}>
      <Form.Item name={name} label={label} extra={extra}>
        <DatePicker style={{ width: '100%' }} />
      </Form.Item>
    </Col>
  );
}

/** A titled list (contacts, green products): each row its fields and a remove button, then a button that adds a blank row. */
function RowList(props: {
  name: string[];
  title: string;
  addLabel: string;
  blank: Record<string, unknown>;
  max?: number;
  /** 'top' keeps a row's boxes level while one of them shows a validation message. */
  align?: 'top';
  /** The fields of the row at this list index, in columns spanning 21 of 24: the remove button takes the rest. */
  children: (index: number) => ReactNode;
}) {
  const { t } = useTranslation();
  const { max } = props;
  return (
    <>
      <Typography.Text strong>{props.title}</Typography.Text>
      <Form.List name={props.name}>
        {(fields, { add, remove }) => (
          <div style={{ marginTop: 8 }}>
            {fields.map((field) => (
              <Row gutter={12} key={field.key} align={props.align}>
                {props.children(field.name)}
                <Col span={3}>
                  <Button icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('enterprises.form.remove')} />
                </Col>
              </Row>
            ))}
            <Form.Item>
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add(props.blank)} disabled={max !== undefined && fields.length >= max}>
                {props.addLabel}
              </Button>
            </Form.Item>
          </div>
        )}
      </Form.List>
    </>
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
  // Six digits typed: say at once which county that is, or why it is refused.
  const divisionHelp = division !== null && !division.ok ? t(`validation.${division.reason}`, division) : undefined;
  const placeLabel = division?.ok === true ? (divisionPlace(divisionCode) ?? null) : null;

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
        <Form form={form} layout="vertical" name="enterprise" requiredMark onValuesChange={clearErrorsOnChange(form)}>
          <Divider titlePlacement="start" style={{ marginTop: 0 }}>
            {t('enterprises.form.sectionIdentity')}
          </Divider>
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item name={identity('uscc')} required label={t('enterprises.fields.uscc')} help={usccHelp} validateStatus={usccStatus} normalize={(value: string) => normalizeUscc(value ?? '')}>
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
              <Form.Item name={identity('name')} required label={t('enterprises.fields.name')}>
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
              <Form.Item name={identity('legalRepresentative')} required label={t('enterprises.fields.legalRepresentative')}>
                <Input maxLength={100} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item
                name={identity('divisionCode')}
                required
                label={t('enterprises.fields.divisionCode')}
                help={divisionHelp}
                validateStatus={divisionHelp === undefined ? undefined : 'error'}
                extra={placeLabel ?? t('enterprises.form.divisionHelp')}
                normalize={(value: string) => (value ?? '').replace(/\D/g, '')}
              >
                <Input className="gl-mono" maxLength={6} inputMode="numeric" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name={identity('address')} required label={t('enterprises.fields.address')}>
            <Input maxLength={200} />
          </Form.Item>
          <Row gutter={12}>
            <Col span={10}>
              <Form.Item
                name={identity('industryCode')}
                required
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
              <Form.Item name={identity('scale')} required label={t('enterprises.fields.scale')}>
                <Select options={scaleOptions(t)} data-testid="scale-select" />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item name={identity('ownership')} required label={t('enterprises.fields.ownership')}>
                <Select options={ownershipOptions(t)} popupMatchSelectWidth={150} data-testid="ownership-select" />
              </Form.Item>
            </Col>
            <Col span={4}>
              <Form.Item name={identity('employees')} label={t('enterprises.fields.employees')}>
                <InputNumber min={0} max={10_000_000} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
          <RowList name={identity('contacts')} title={t('enterprises.fields.contacts')} addLabel={t('enterprises.form.addContact')} blank={{ name: '', phone: '' }} max={MAX_CONTACTS} align="top">
            {(index) => (
              <>
                <Col span={9}>
                  <Form.Item name={[index, 'name']}>
                    <Input placeholder={t('enterprises.form.contactName')} aria-label={t('enterprises.form.contactName')} maxLength={50} />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item name={[index, 'phone']}>
                    <Input placeholder={t('enterprises.form.contactPhone')} aria-label={t('enterprises.form.contactPhone')} inputMode="tel" />
                  </Form.Item>
                </Col>
              </>
            )}
          </RowList>

          <Divider titlePlacement="start">{t('enterprises.form.sectionGreen')}</Divider>
          <RecognitionField field="greenFactory" label={t('enterprises.fields.greenFactory')} />
          <RecognitionField field="greenPark" label={t('enterprises.fields.greenPark')} withName />
          <RecognitionField field="greenSupplyChain" label={t('enterprises.fields.greenSupplyChain')} />
          <RecognitionField field="waterEfficiencyBenchmark" label={t('enterprises.fields.waterEfficiencyBenchmark')} />
          <RowList name={green('greenProducts')} title={t('enterprises.fields.greenProducts')} addLabel={t('enterprises.form.addProduct')} blank={{ name: '', year: thisYear }}>
            {(index) => (
              <>
                <Col span={15}>
                  <Form.Item name={[index, 'name']}>
                    <Input placeholder={t('enterprises.form.productName')} aria-label={t('enterprises.form.productName')} maxLength={100} />
                  </Form.Item>
                </Col>
                <Col span={6}>
                  <Form.Item name={[index, 'year']}>
                    <InputNumber min={1900} max={2100} precision={0} placeholder={t('enterprises.form.listYear')} aria-label={t('enterprises.form.listYear')} style={{ width: '100%' }} />
                  </Form.Item>
                </Col>
              </>
            )}
          </RowList>
          <SwitchWithDetails name={[...green('miitRecommendation'), 'recommended']} label={t('enterprises.fields.miitRecommendation')}>
            <DateField name={[...green('miitRecommendation'), 'date']} label={t('enterprises.fields.miitDate')} />
            <Col span={8}>
              <Form.Item name={[...green('miitRecommendation'), 'batch']} label={t('enterprises.fields.miitBatch')}>
                <Input maxLength={50} placeholder={t('enterprises.form.batchPlaceholder')} />
              </Form.Item>
            </Col>
          </SwitchWithDetails>

          <Divider titlePlacement="start">{t('enterprises.form.sectionFlags')}</Divider>
          <SwitchWithDetails name={[...flags('outdatedCapacity'), 'flagged']} label={t('enterprises.flags.outdatedCapacity')}>
            <DateField name={[...flags('outdatedCapacity'), 'exitDeadline']} label={t('enterprises.fields.exitDeadline')} />
            <DateField name={[...flags('outdatedCapacity'), 'exitedOn']} label={t('enterprises.fields.exitedOn')} extra={t('enterprises.form.exitedOnHelp')} />
          </SwitchWithDetails>
          <Row gutter={12}>
            <Col span={8}>
              <YesNoField name={flags('greenList')} label={t('enterprises.flags.greenList')} />
            </Col>
            <Col span={8}>
              <YesNoField name={flags('negativeList')} label={t('enterprises.flags.negativeList')} />
            </Col>
          </Row>
        </Form>
      </ConfigProvider>
    </Drawer>
  );
}
