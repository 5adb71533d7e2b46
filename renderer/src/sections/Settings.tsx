import { App as AntApp, Card, Descriptions, Segmented, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../../shared/api/index.ts';
import { useAppStore } from '../stores/app.ts';
import { describeError, i18next } from '../i18n/index.ts';
import { BackupCard } from './BackupCard.tsx';
import { AutoLockCard } from './AutoLockCard.tsx';
import { useUser } from '../stores/app.ts';
import { can } from '../../../shared/domain/roles.ts';

export function Settings() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const info = useAppStore((s) => s.info);
  const locale = useAppStore((s) => s.settings?.locale ?? 'zh-CN');
  const setLocale = useAppStore((s) => s.setLocale);
  const user = useUser();

  const changeLocale = async (next: Locale) => {
    const error = await setLocale(next);
    // i18next, not this render's t: the toast speaks the language just chosen.
    if (error === null) void message.success(i18next.t('settings.saved'));
    else void message.error(describeError(error));
  };

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3}>{t('settings.title')}</Typography.Title>
      <Card title={t('settings.language')}>
        <Space orientation="vertical">
          <Segmented<Locale>
            value={locale}
            onChange={(value) => void changeLocale(value)}
            options={[
              { label: '中文', value: 'zh-CN' },
              { label: 'English', value: 'en' },
            ]}
            data-testid="locale-switch"
          />
          <Typography.Text type="secondary">{t('settings.languageHelp')}</Typography.Text>
        </Space>
      </Card>
      {user !== null && can(user.role, 'users.manage') && <AutoLockCard />}
      {user !== null && can(user.role, 'backup.manage') && <BackupCard />}
      {info !== null && (
        <Card title={t('settings.about')}>
          <Descriptions column={1} bordered size="small">
            <Descriptions.Item label={t('settings.appVersion')}>{info.appVersion}</Descriptions.Item>
            <Descriptions.Item label={t('settings.mode')}>
              {info.mode === 'desktop' ? t('app.modeDesktop') : t('app.modeBrowser')}
            </Descriptions.Item>
            <Descriptions.Item label={t('settings.dataDir')}>
              <Typography.Text copyable>{info.dataDir}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('settings.databaseFile')}>{info.databaseFile}</Descriptions.Item>
            <Descriptions.Item label={t('settings.encryption')}>
              {info.encrypted ? (
                <Tag color="green" data-testid="encryption-status">{t('settings.encryptionOn', { cipher: info.cipher })}</Tag>
              ) : (
                <Tag color="red">{t('settings.encryptionOff')}</Tag>
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('settings.schemaVersion')}>{info.schemaVersion}</Descriptions.Item>
          </Descriptions>
        </Card>
      )}
    </Space>
  );
}
