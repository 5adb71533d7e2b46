import { useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, List, Modal, Space, Typography } from 'antd';
import { FilePdfOutlined, SendOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { CaseDetail, HostError } from '../../../shared/api/index.ts';
import { useAppStore } from '../stores/app.ts';
import { describeError } from '../i18n/index.ts';
import { recordCard } from '../components/RecordPage.tsx';
import { saveDownload } from '../download.ts';
import { useAttachmentViewer } from '../enterprises/AttachmentsTab.tsx';

interface Preview {
  letterNumber: string;
  issuedOn: string;
  fileName: string;
  contentBase64: string;
  /** An object URL of the PDF for the frame, revoked when the dialog closes. */
  url: string;
}

/**
 * 函件: the 督促整改函 of a case in two steps — 生成督促整改函 prints the letter as it would go today
 * (nothing recorded), and 记录为已发送 in that dialog records it as sent: the host prints it again
 * from the case at the version looked at and keeps the PDF, which the list opens again.
 */
export function CaseLetters({ detail, canWrite, onRecorded }: { detail: CaseDetail; canWrite: boolean; onRecorded: (detail: CaseDetail) => void }) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const call = useAppStore((s) => s.call);
  const { open, viewer } = useAttachmentViewer();
  const [preview, setPreview] = useState<Preview | null>(null);
  const [busy, setBusy] = useState<'preview' | 'record' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const label = (key: string, values?: Record<string, unknown>) => t(`rectification.letters.${key}`, values);
  const refusal = (failure: HostError) => {
    const rule = failure.details?.rule ?? failure.details?.reason;
    return typeof rule === 'string' && i18n.exists(`rectification.letters.rules.${rule}`) ? label(`rules.${rule}`) : describeError(failure);
  };
  useEffect(() => () => (preview === null ? undefined : URL.revokeObjectURL(preview.url)), [preview]);

  const generate = async () => {
    setBusy('preview');
    setError(null);
    const result = await call('cases.letterPreview', { caseId: detail.id });
    setBusy(null);
    if (!result.ok) return void message.error(refusal(result.error));
    const bytes = Uint8Array.from(atob(result.value.contentBase64), (c) => c.charCodeAt(0));
    setPreview({ ...result.value, url: URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' })) });
  };
  const record = async () => {
    setBusy('record');
    const result = await call('cases.recordLetter', { caseId: detail.id, version: detail.version });
    setBusy(null);
    if (!result.ok) return setError(refusal(result.error));
    void message.success(label('recorded', { number: preview?.letterNumber ?? '' }));
    setPreview(null);
    onRecorded(result.value);
  };
  const viewerAvailable = (navigator as Navigator & { pdfViewerEnabled?: boolean }).pdfViewerEnabled !== false;

  return (
    <div style={{ ...recordCard, padding: 20 }} data-testid="case-letters">
      <div style={{ display: 'flex', justifyContent: 'space-between', marginBottom: 8, gap: 12 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {label('title')}
        </Typography.Title>
        {canWrite && detail.nextLetterNumber !== null && (
          <Button icon={<FilePdfOutlined />} loading={busy === 'preview'} onClick={() => void generate()} data-testid="case-letter-generate">
            {label('generate')}
          </Button>
        )}
      </div>
      <List
        dataSource={detail.letters}
        locale={{ emptyText: label('none') }}
        data-testid="case-letter-list"
        renderItem={(letter) => (
          <List.Item
            data-testid="case-letter"
            actions={
              letter.attachment === null
                ? [<Typography.Text key="missing" type="secondary">{label('fileNotHere')}</Typography.Text>]
                : [
                    <Button key="open" type="link" size="small" onClick={() => open(letter.attachment!)} data-testid="case-letter-open">
                      {label('open')}
                    </Button>,
                  ]
            }
          >
            <List.Item.Meta
              title={<span className="gl-mono">{letter.letterNumber}</span>}
              description={label('sentLine', { date: letter.sentOn, name: letter.sentByName ?? '' })}
            />
          </List.Item>
        )}
      />
      {viewer}
      <Modal
        open={preview !== null}
        width="80vw"
        title={label('previewTitle', { number: preview?.letterNumber ?? '' })}
        onCancel={() => setPreview(null)}
        destroyOnHidden
        footer={
          preview === null ? null : (
            <Space>
              <Button onClick={() => saveDownload(preview.fileName, preview.contentBase64, 'application/pdf')}>{label('download')}</Button>
              <Button type="primary" icon={<SendOutlined />} loading={busy === 'record'} onClick={() => void record()} data-testid="case-letter-record">
                {label('record')}
              </Button>
            </Space>
          )
        }
      >
        {preview !== null && (
          <Space orientation="vertical" style={{ width: '100%' }} data-testid="case-letter-preview">
            <Alert type="info" showIcon title={label('previewNote', { date: preview.issuedOn })} />
            {viewerAvailable ? (
              <iframe title={preview.fileName} src={preview.url} style={{ width: '100%', height: '65vh', border: 'none' }} data-testid="case-letter-pdf" />
            ) : (
              <Typography.Text>{label('noViewer')}</Typography.Text>
            )}
            {error !== null && <Alert type="error" showIcon title={error} data-testid="case-letter-error" />}
          </Space>
        )}
      </Modal>
    </div>
  );
}
