import { useState, type ReactNode } from 'react';
import { Alert, App as AntApp, Button, Modal, Select, Space, Statistic, Steps, Table, Tag, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ImportResult, Result } from '../../../shared/api/index.ts';
import { describeError } from '../i18n/index.ts';
import { saveDownload } from '../download.ts';
import { fileToBase64, MAX_IMPORT_FILE_BYTES, XLSX_MIME } from '../uploads.ts';

export interface UploadedFile {
  fileName: string;
  contentBase64: string;
}

export type ImportMappingOf<Field extends string> = Partial<Record<Field, string>>;

/** What every register's importPreview answers (shared/api/imports.ts), for its own fields. */
export interface ImportPreviewOf<Field extends string> {
  sheetName: string | null;
  headerRow: number;
  headers: string[];
  sampleRows: string[][];
  totalRows: number;
  suggestedMapping: ImportMappingOf<Field>;
  remembered: boolean;
  encoding: 'utf-8' | 'gbk' | null;
}

/**
 * The import of any register (enterprise lists, core-system loan exports, the registers after them):
 * choose a file → map its columns → import → see what was rejected, and why, and download those
 * rows to fix them. The host's one importer (electron/host/import/) does the work; a register brings
 * only what differs. Why the props are what they are:
 * - `fields`, `fieldLabel`, `requiredFields`: the register's columns, in the file format's words.
 * - `keyField`: rows are matched on it (USCC, loan number), so the import cannot run without it.
 * - `preview` and `run`: the register's two host methods; `run` closes over the register's own
 *   options, which `options` draws on the mapping step (defaults for unmapped fields, the day a
 *   loan export is as of) and `ready` holds back until they are complete.
 * - `resultExtra`: the register's own part of the result (borrowers with no enterprise file).
 * - `template`: the register's import template (the host writes it from the import's own headers), offered with the file.
 */
export interface ImportWizardProps<Field extends string, Outcome extends ImportResult> {
  title: string;
  fileHint: string;
  fields: readonly Field[];
  fieldLabel: (field: Field) => string;
  requiredFields: readonly Field[];
  keyField: Field;
  keyMissingText: string;
  preview: (file: UploadedFile) => Promise<Result<ImportPreviewOf<Field>>>;
  run: (file: UploadedFile, mapping: ImportMappingOf<Field>) => Promise<Result<Outcome>>;
  options?: (mapping: ImportMappingOf<Field>) => ReactNode;
  ready?: boolean;
  resultExtra?: (outcome: Outcome) => ReactNode;
  template?: () => Promise<Result<UploadedFile>>;
  /** `changed`: the import wrote something, so the register's list should fetch again. */
  onClose: (changed: boolean) => void;
}

interface LoadedFile<Field extends string> extends UploadedFile {
  preview: ImportPreviewOf<Field>;
}

const MAX_REJECTED_SHOWN = 200;

export function ImportWizard<Field extends string, Outcome extends ImportResult>(props: ImportWizardProps<Field, Outcome>) {
  const { title, fileHint, keyField, preview, run, ready = true, template, onClose } = props;
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [step, setStep] = useState(0);
  const [busy, setBusy] = useState(false);
  const [file, setFile] = useState<LoadedFile<Field> | null>(null);
  const [mapping, setMapping] = useState<ImportMappingOf<Field>>({});
  const [result, setResult] = useState<Outcome | null>(null);
  const sizeText = `${MAX_IMPORT_FILE_BYTES / 1024 / 1024} MB`;
  // A VALIDATION refusal of the file itself (not a spreadsheet, too many rows) says why in its message.
  const refusal = (error: Parameters<typeof describeError>[0]) => (error.code === 'VALIDATION' ? error.message : describeError(error));

  const load = async (chosen: File) => {
    if (chosen.size > MAX_IMPORT_FILE_BYTES) return void message.error(t('imports.fileTooLarge', { size: sizeText }));
    setBusy(true);
    try {
      const contentBase64 = await fileToBase64(chosen);
      const answer = await preview({ fileName: chosen.name, contentBase64 });
      if (!answer.ok) return void message.error(refusal(answer.error));
      setFile({ fileName: chosen.name, contentBase64, preview: answer.value });
      setMapping(answer.value.suggestedMapping);
      setStep(1);
    } finally {
      setBusy(false);
    }
  };

  const start = async () => {
    if (file === null) return;
    setBusy(true);
    try {
      const outcome = await run({ fileName: file.fileName, contentBase64: file.contentBase64 }, mapping);
      if (!outcome.ok) return void message.error(refusal(outcome.error));
      setResult(outcome.value);
      setStep(2);
    } finally {
      setBusy(false);
    }
  };

  const downloadTemplate = async () => {
    const answer = await template!();
    if (!answer.ok) return void message.error(describeError(answer.error));
    saveDownload(answer.value.fileName, answer.value.contentBase64, XLSX_MIME);
  };

  const changed = result !== null && result.imported + result.updated - result.unchanged > 0;
  const footer =
    step === 1 ? (
      <Space>
        <Button onClick={() => setStep(0)} disabled={busy}>
          {t('imports.back')}
        </Button>
        <Button type="primary" loading={busy} disabled={mapping[keyField] === undefined || !ready} onClick={() => void start()} data-testid="import-run">
          {busy ? t('imports.running') : t('imports.run')}
        </Button>
      </Space>
    ) : (
      <Button onClick={() => onClose(changed)} data-testid="import-close">
        {t('imports.close')}
      </Button>
    );

  return (
    <Modal open width={960} title={title} onCancel={() => !busy && onClose(changed)} footer={footer} maskClosable={false} destroyOnHidden>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="import-wizard">
        <Steps size="small" current={step} items={[{ title: t('imports.steps.file') }, { title: t('imports.steps.mapping') }, { title: t('imports.steps.result') }]} />
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
            <p className="ant-upload-text">{busy ? t('imports.reading') : t('imports.chooseFile')}</p>
            <p className="ant-upload-hint">{fileHint}</p>
          </Upload.Dragger>
        )}
        {step === 0 && template !== undefined && (
          <Button icon={<DownloadOutlined />} onClick={() => void downloadTemplate()} data-testid="import-template">
            {t('imports.template')}
          </Button>
        )}
        {step === 1 && file !== null && <MappingStep {...props} file={file} mapping={mapping} onMapping={setMapping} />}
        {step === 2 && result !== null && <ResultStep result={result} extra={props.resultExtra?.(result)} />}
      </Space>
    </Modal>
  );
}

function MappingStep<Field extends string, Outcome extends ImportResult>({
  fields,
  fieldLabel,
  requiredFields,
  keyField,
  keyMissingText,
  options,
  file,
  mapping,
  onMapping,
}: ImportWizardProps<Field, Outcome> & { file: LoadedFile<Field>; mapping: ImportMappingOf<Field>; onMapping: (mapping: ImportMappingOf<Field>) => void }) {
  const { t } = useTranslation();
  const { preview } = file;
  const headerOptions = preview.headers.map((h) => ({ value: h, label: h }));
  const required = new Set<string>(requiredFields);
  const setColumn = (field: Field, header: string | undefined) => {
    const next = { ...mapping };
    if (header === undefined) delete next[field];
    else next[field] = header;
    onMapping(next);
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Text type="secondary">
          {preview.sheetName === null
            ? t('imports.csvInfo', { encoding: preview.encoding === 'gbk' ? 'GBK' : 'UTF-8', count: preview.totalRows })
            : t('imports.sheetInfo', { sheet: preview.sheetName, row: preview.headerRow, count: preview.totalRows })}
        </Typography.Text>
        {preview.remembered && <Tag color="green">{t('imports.remembered')}</Tag>}
      </Space>
      {mapping[keyField] === undefined && <Alert type="warning" showIcon title={keyMissingText} />}
      <Table
        size="small"
        rowKey="field"
        pagination={false}
        scroll={{ y: 260 }}
        dataSource={fields.map((field) => ({ field }))}
        data-testid="import-mapping"
        columns={[
          {
            title: t('imports.field'),
            dataIndex: 'field',
            width: 240,
            render: (field: Field) => (
              <Space size={4}>
                {fieldLabel(field)}
                {required.has(field) && <Typography.Text type="danger">*</Typography.Text>}
              </Space>
            ),
          },
          {
            title: t('imports.column'),
            dataIndex: 'field',
            key: 'column',
            render: (field: Field) => (
              <Select
                style={{ width: 280 }}
                allowClear
                placeholder={t('imports.notMapped')}
                value={mapping[field]}
                options={headerOptions}
                onChange={(header: string | undefined) => setColumn(field, header)}
                data-testid={`import-map-${field}`}
              />
            ),
          },
        ]}
      />
      {options?.(mapping)}
      <div>
        <Typography.Text strong>{t('imports.previewTitle', { count: preview.sampleRows.length })}</Typography.Text>
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

function ResultStep({ result, extra }: { result: ImportResult; extra: ReactNode }) {
  const { t } = useTranslation();
  const shown = result.rejected.slice(0, MAX_REJECTED_SHOWN);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="import-result">
      <Space size={48}>
        <Statistic title={t('imports.imported')} value={result.imported} />
        <Statistic
          title={t('imports.updated')}
          value={result.updated}
          suffix={result.updated > 0 ? <Typography.Text type="secondary" style={{ fontSize: 13 }}>{`（${t('imports.unchanged')} ${result.unchanged}）`}</Typography.Text> : undefined}
        />
        <Statistic title={t('imports.rejected')} value={result.rejected.length} styles={{ content: { color: result.rejected.length > 0 ? '#c62828' : undefined } }} />
      </Space>
      {extra}
      {result.rejected.length > 0 && (
        <>
          <Space style={{ justifyContent: 'space-between', width: '100%' }}>
            <Typography.Text strong>{t('imports.rejectedTitle')}</Typography.Text>
            {result.rejectedFileBase64 !== null && (
              <Button icon={<DownloadOutlined />} onClick={() => saveDownload(result.rejectedFileName ?? 'rejected.xlsx', result.rejectedFileBase64!, XLSX_MIME)} data-testid="import-download-rejected">
                {t('imports.downloadRejected')}
              </Button>
            )}
          </Space>
          <Table
            size="small"
            rowKey="row"
            pagination={false}
            scroll={{ y: 300 }}
            dataSource={shown}
            data-testid="import-rejected"
            columns={[
              { title: t('imports.row'), dataIndex: 'row', width: 80 },
              { title: t('imports.reasons'), dataIndex: 'reasons', render: (reasons: string[]) => reasons.join('；') },
            ]}
          />
          {result.rejected.length > shown.length && <Typography.Text type="secondary">{t('imports.moreRejected', { shown: shown.length, count: result.rejected.length })}</Typography.Text>}
        </>
      )}
    </Space>
  );
}
