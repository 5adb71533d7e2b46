import { useState } from 'react';
import { Alert, App as AntApp, Button, Input, Modal, Select, Space, Statistic, Steps, Table, Tag, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import {
  importDefaultFields,
  importFields,
  importRequiredFields,
  type EnterpriseListFilter,
  type EnterpriseSort,
  type ImportDefaults,
  type ImportField,
  type ImportMapping,
  type ImportPreview,
  type ImportResult,
} from '../../../shared/api/index.ts';
import { can } from '../../../shared/domain/roles.ts';
import { useAppStore, useUser } from '../stores/app.ts';
import { describeError } from '../i18n/index.ts';
import { saveDownload } from '../download.ts';
import { ExportButton } from '../register/ExportButton.tsx';
import { ownershipOptions, scaleOptions } from './labels.ts';
import { fileToBase64, MAX_IMPORT_FILE_BYTES, XLSX_MIME } from '../uploads.ts';

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
    <>
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
        <ImportWizard
          onClose={(changed) => {
            setImporting(false);
            if (changed) onChanged();
          }}
        />
      )}
    </>
  );
}

interface LoadedFile {
  fileName: string;
  contentBase64: string;
  preview: ImportPreview;
}

const MAX_REJECTED_SHOWN = 200;

/** Choose a file → map its columns (and defaults) → import → see what was rejected, and why. */
function ImportWizard({ onClose }: { onClose: (changed: boolean) => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const call = useAppStore((s) => s.call);
  const [step, setStep] = useState(0);
  const [busy, setBusy] = useState(false);
  const [file, setFile] = useState<LoadedFile | null>(null);
  const [mapping, setMapping] = useState<ImportMapping>({});
  const [defaults, setDefaults] = useState<ImportDefaults>({});
  const [result, setResult] = useState<ImportResult | null>(null);
  const sizeText = `${MAX_IMPORT_FILE_BYTES / 1024 / 1024} MB`;

  const load = async (chosen: File) => {
    if (chosen.size > MAX_IMPORT_FILE_BYTES) return void message.error(t('enterpriseFiles.import.fileTooLarge', { size: sizeText }));
    setBusy(true);
    try {
      const contentBase64 = await fileToBase64(chosen);
      const preview = await call('enterprises.importPreview', { fileName: chosen.name, contentBase64 });
      if (!preview.ok) return void message.error(preview.error.code === 'VALIDATION' ? preview.error.message : describeError(preview.error));
      setFile({ fileName: chosen.name, contentBase64, preview: preview.value });
      setMapping(preview.value.suggestedMapping);
      setDefaults({});
      setStep(1);
    } finally {
      setBusy(false);
    }
  };

  const run = async () => {
    if (file === null) return;
    setBusy(true);
    try {
      const used = Object.fromEntries(Object.entries(defaults).filter(([, v]) => v !== undefined && v !== '')) as ImportDefaults;
      const outcome = await call('enterprises.importRun', { fileName: file.fileName, contentBase64: file.contentBase64, mapping, defaults: used });
      if (!outcome.ok) return void message.error(outcome.error.code === 'VALIDATION' ? outcome.error.message : describeError(outcome.error));
      setResult(outcome.value);
      setStep(2);
    } finally {
      setBusy(false);
    }
  };

  const changed = result !== null && result.imported + result.updated - result.unchanged > 0;
  const footer =
    step === 1 ? (
      <Space>
        <Button onClick={() => setStep(0)} disabled={busy}>
          {t('enterpriseFiles.import.back')}
        </Button>
        <Button type="primary" loading={busy} disabled={mapping.uscc === undefined} onClick={() => void run()} data-testid="import-run">
          {busy ? t('enterpriseFiles.import.running') : t('enterpriseFiles.import.run')}
        </Button>
      </Space>
    ) : (
      <Button onClick={() => onClose(changed)} data-testid="import-close">
        {t('enterpriseFiles.import.close')}
      </Button>
    );

  return (
    <Modal open width={960} title={t('enterpriseFiles.import.title')} onCancel={() => !busy && onClose(changed)} footer={footer} maskClosable={false} destroyOnHidden>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="import-wizard">
        <Steps
          size="small"
          current={step}
          items={[{ title: t('enterpriseFiles.import.steps.file') }, { title: t('enterpriseFiles.import.steps.mapping') }, { title: t('enterpriseFiles.import.steps.result') }]}
        />
        {step === 0 && (
          <Upload.Dragger
            accept=".xlsx,.csv"
            multiple={false}
            showUploadList={false}
            disabled={busy}
            beforeUpload={(chosen) => {
              void load(chosen);
              return false;
            }}
            data-testid="import-file"
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{busy ? t('enterpriseFiles.import.reading') : t('enterpriseFiles.import.chooseFile')}</p>
            <p className="ant-upload-hint">{t('enterpriseFiles.import.chooseFileHint')}</p>
          </Upload.Dragger>
        )}
        {step === 1 && file !== null && <MappingStep file={file} mapping={mapping} onMapping={setMapping} defaults={defaults} onDefaults={setDefaults} />}
        {step === 2 && result !== null && <ResultStep result={result} />}
      </Space>
    </Modal>
  );
}

function MappingStep({
  file,
  mapping,
  onMapping,
  defaults,
  onDefaults,
}: {
  file: LoadedFile;
  mapping: ImportMapping;
  onMapping: (mapping: ImportMapping) => void;
  defaults: ImportDefaults;
  onDefaults: (defaults: ImportDefaults) => void;
}) {
  const { t } = useTranslation();
  const { preview } = file;
  const headerOptions = preview.headers.map((h) => ({ value: h, label: h }));
  const required = new Set<string>(importRequiredFields);
  const setColumn = (field: ImportField, header: string | undefined) => {
    const next = { ...mapping };
    if (header === undefined) delete next[field];
    else next[field] = header;
    onMapping(next);
  };
  const setDefault = (field: (typeof importDefaultFields)[number], value: string | undefined) => onDefaults({ ...defaults, [field]: value ?? '' });
  // Defaults are offered for the fields the mapping leaves without a column.
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

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Text type="secondary">
          {preview.sheetName === null
            ? t('enterpriseFiles.import.csvInfo', { encoding: preview.encoding === 'gbk' ? 'GBK' : 'UTF-8', count: preview.totalRows })
            : t('enterpriseFiles.import.sheetInfo', { sheet: preview.sheetName, row: preview.headerRow, count: preview.totalRows })}
        </Typography.Text>
        {preview.remembered && <Tag color="green">{t('enterpriseFiles.import.remembered')}</Tag>}
      </Space>
      {mapping.uscc === undefined && <Alert type="warning" showIcon title={t('enterpriseFiles.import.usccRequired')} />}
      <Table
        size="small"
        rowKey="field"
        pagination={false}
        scroll={{ y: 260 }}
        dataSource={importFields.map((field) => ({ field }))}
        data-testid="import-mapping"
        columns={[
          {
            title: t('enterpriseFiles.import.field'),
            dataIndex: 'field',
            width: 240,
            render: (field: ImportField) => (
              <Space size={4}>
                {t(`enterpriseFiles.fields.${field}`)}
                {required.has(field) && <Typography.Text type="danger">*</Typography.Text>}
              </Space>
            ),
          },
          {
            title: t('enterpriseFiles.import.column'),
            dataIndex: 'field',
            key: 'column',
            render: (field: ImportField) => (
              <Select
                style={{ width: 280 }}
                allowClear
                placeholder={t('enterpriseFiles.import.notMapped')}
                value={mapping[field]}
                options={headerOptions}
                onChange={(header: string | undefined) => setColumn(field, header)}
                data-testid={`import-map-${field}`}
              />
            ),
          },
        ]}
      />
      {open.length > 0 && (
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
      )}
      <div>
        <Typography.Text strong>{t('enterpriseFiles.import.previewTitle', { count: preview.sampleRows.length })}</Typography.Text>
        <Table
          size="small"
          pagination={false}
          scroll={{ x: 'max-content', y: 220 }}
          rowKey={(_row, index) => String(index)}
          dataSource={preview.sampleRows.map((cells) => Object.fromEntries(cells.map((cell, i) => [String(i), cell])))}
          columns={preview.headers.map((header, i) => ({ title: header, dataIndex: String(i), ellipsis: true, width: 140 }))}
        />
      </div>
    </Space>
  );
}

function ResultStep({ result }: { result: ImportResult }) {
  const { t } = useTranslation();
  const shown = result.rejected.slice(0, MAX_REJECTED_SHOWN);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="import-result">
      <Space size={48}>
        <Statistic title={t('enterpriseFiles.import.imported')} value={result.imported} />
        <Statistic title={t('enterpriseFiles.import.updated')} value={result.updated} suffix={result.updated > 0 ? <Typography.Text type="secondary" style={{ fontSize: 13 }}>{`（${t('enterpriseFiles.import.unchanged')} ${result.unchanged}）`}</Typography.Text> : undefined} />
        <Statistic title={t('enterpriseFiles.import.rejected')} value={result.rejected.length} styles={{ content: { color: result.rejected.length > 0 ? '#c62828' : undefined } }} />
      </Space>
      {result.rejected.length > 0 && (
        <>
          <Space style={{ justifyContent: 'space-between', width: '100%' }}>
            <Typography.Text strong>{t('enterpriseFiles.import.rejectedTitle')}</Typography.Text>
            {result.rejectedFileBase64 !== null && (
              <Button icon={<DownloadOutlined />} onClick={() => saveDownload(result.rejectedFileName ?? 'rejected.xlsx', result.rejectedFileBase64!, XLSX_MIME)} data-testid="import-download-rejected">
                {t('enterpriseFiles.import.downloadRejected')}
              </Button>
            )}
          </Space>
          <Table
            size="small"
            rowKey="row"
            pagination={false}
            scroll={{ y: 300 }}
            dataSource={shown}
            columns={[
              { title: t('enterpriseFiles.import.row'), dataIndex: 'row', width: 80 },
              { title: t('enterpriseFiles.import.reasons'), dataIndex: 'reasons', render: (reasons: string[]) => reasons.join('；') },
            ]}
          />
          {result.rejected.length > shown.length && (
            <Typography.Text type="secondary">{t('enterpriseFiles.import.moreRejected', { shown: shown.length, count: result.rejected.length })}</Typography.Text>
          )}
        </>
      )}
    </Space>
  );
}
