import { Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';

/** What enrolling a laptop with head office asks for: the same on first-run 加入已有支行 and on 同步. */
export interface EnrollmentValues {
  hubUrl: string;
  code: string;
  deviceName: string;
}

/**
 * The hub's address, the one-time enrolment code and this laptop's name, as fields of the form
 * they sit in (top-level names, so the host's field errors land on them: hostErrorOnForm).
 */
export function EnrollmentFields() {
  const { t } = useTranslation();
  const required = [{ required: true, message: t('validation.required') }];
  return (
    <>
      <Form.Item name="hubUrl" label={t('sync.hubUrl')} extra={t('sync.hubUrlHelp')} rules={required}>
        <Input placeholder="192.168.1.10:8787" />
      </Form.Item>
      <Form.Item name="code" label={t('sync.code')} rules={required}>
        <Input />
      </Form.Item>
      <Form.Item name="deviceName" label={t('sync.deviceName')} rules={required}>
        <Input />
      </Form.Item>
    </>
  );
}
