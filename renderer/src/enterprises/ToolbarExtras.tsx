import { useState } from 'react';
import { Button, Input, Select, Space, Typography } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import {
  importDefaultFields,
  importFields,
  importRequiredFields,
  type EnterpriseListFilter,
  type EnterpriseSort,
  type ImportDefaults,
  type ImportMapping,
} from '../../../shared/api/index.ts';
import { can } from '../../../shared/domain/roles.ts';
import { useAppStore, useUser } from '../stores/app.ts';
import { ExportButton } from '../register/ExportButton.tsx';
import { ImportWizard } from '../import/ImportWizard.tsx';
import { ownershipOptions, scaleOptions } from './labels.ts';

export interface EnterpriseToolbarExtrasProps {
  /** The list's current filter and sort, for an export of exactly what is shown. */
  filter: EnterpriseListFilter;
  sort: EnterpriseSort;
  /** Rows in the current list (null while the first page loads). */
  total: number | null;
  /** Call after an import changed the register, so the list fetches again. */
  onChanged: () => void;
}

/** 「导入」 (enterprise.write) and 「导出」 (every reader) for the enterprise list's toolbar. */
export function EnterpriseToolbarExtras({ filter, sort, total, onChanged }: EnterpriseToolbarExtrasProps) {
  const { t } = useTranslation();
  const call = useAppStore((s) => s.call);
  const user = useUser();
  const [importing, setImporting] = useState(false);
  const canImport = user !== null && can(user.role, 'enterprise.write');

  return (
    <Space>
      {canImport && (
        <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="enterprise-import">
          {t('enterpriseFiles.import.button')}
        </Button>
      )}
      <ExportButton
        run={() => call('enterprises.export', { filter, sort })}
        doneText={(count) => t('enterpriseFiles.export.done', { count })}
        disabled={total === 0}
        testId="enterprise-export"
      />
      {importing && (
        <EnterpriseImport
          onClose={(changed) => {
            setImporting(false);
            if (changed) onChanged();
          }}
        />
      )}
    </Space>
  );
}

/** The shared import screen over enterprises.import*, matching on USCC, with defaults for what a list lacks. */
function EnterpriseImport({ onClose }: { onClose: (changed: boolean) => void }) {
  const { t } = useTranslation();
  const call = useAppStore((s) => s.call);
  const [defaults, setDefaults] = useState<ImportDefaults>({});
  return (
    <ImportWizard
      title={t('enterpriseFiles.import.title')}
      fileHint={t('enterpriseFiles.import.chooseFileHint')}
      fields={importFields}
      fieldLabel={(field) => t(`enterpriseFiles.fields.${field}`)}
      requiredFields={importRequiredFields}
      keyField="uscc"
      keyMissingText={t('enterpriseFiles.import.usccRequired')}
      preview={(file) => call('enterprises.importPreview', file)}
      run={(file, mapping) => {
        const used = Object.fromEntries(Object.entries(defaults).filter(([, v]) => v !== undefined && v !== '')) as ImportDefaults;
        return call('enterprises.importRun', { ...file, mapping, defaults: used });
      }}
      options={(mapping) => <DefaultsSection mapping={mapping} defaults={defaults} onDefaults={setDefaults} />}
      onClose={onClose}
    />
  );
}

/** Defaults are offered for the required fields the mapping leaves without a column. */
function DefaultsSection({ mapping, defaults, onDefaults }: { mapping: ImportMapping; defaults: ImportDefaults; onDefaults: (defaults: ImportDefaults) => void }) {
  const { t } = useTranslation();
  const required = new Set<string>(importRequiredFields);
  const setDefault = (field: (typeof importDefaultFields)[number], value: string | undefined) => onDefaults({ ...defaults, [field]: value ?? '' });
  const open = importDefaultFields.filter((field) => mapping[field] === undefined);
  const defaultInput = (field: (typeof importDefaultFields)[number]) => {
    const common = { style: { width: 200 }, value: defaults[field] || undefined, allowClear: true, 'data-testid': `import-default-${field}` };
    switch (field) {
      case 'scale':
        return <Select {...common} options={scaleOptions(t)} onChange={(v: string | undefined) => setDefault(field, v)} />;
      case 'ownership':
        return <Select {...common} options={ownershipOptions(t)} onChange={(v: string | undefined) => setDefault(field, v)} />;
      case 'greenFactoryLevel':
        return (
          <Select
            {...common}
            options={(['national', 'provincial'] as const).map((level) => ({ value: level, label: t(`enterprises.levels.${level}`) }))}
            onChange={(v: string | undefined) => setDefault(field, v)}
          />
        );
      default:
        return (
          <Input
            style={common.style}
            value={defaults[field] ?? ''}
            allowClear
            data-testid={common['data-testid']}
            placeholder={field === 'divisionCode' ? '360222' : field === 'industryCode' ? 'C3012' : field === 'miitRecommendedOn' ? '2025-06-30' : field === 'greenFactoryYear' ? '2025' : undefined}
            onChange={(event) => setDefault(field, event.target.value)}
          />
        );
    }
  };

  if (open.length === 0) return null;
  return (
    <div>
      <Typography.Text strong>{t('enterpriseFiles.import.defaultsTitle')}</Typography.Text>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('enterpriseFiles.import.defaultsHint')}
      </Typography.Paragraph>
      <Space wrap size={[16, 8]}>
        {open.map((field) => (
          <Space key={field} size={6}>
            <span>
              {t(`enterpriseFiles.fields.${field}`)}
              {required.has(field) && <Typography.Text type="danger"> *</Typography.Text>}
            </span>
            {defaultInput(field)}
          </Space>
        ))}
      </Space>
    </div>
  );
}
