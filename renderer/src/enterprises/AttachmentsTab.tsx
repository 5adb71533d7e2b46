import { useCallback, useEffect, useState } from 'react';
import { App as AntApp, Button, Input, Modal, Space, Table, Typography, Upload } from 'antd';
import { DeleteOutlined, DownloadOutlined, EyeOutlined, FileImageOutlined, FileOutlined, FilePdfOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { attachmentMimes, MAX_ATTACHMENT_BYTES, type AttachmentListItem, type AttachmentMime, type EnterpriseDetail, type HostError } from '../../../shared/api/index.ts';
import { useAppStore } from '../stores/app.ts';
import { describeError } from '../i18n/index.ts';
import { formatInstant } from '../format.ts';
import { saveDownload } from '../download.ts';
import { fileToBase64 } from '../uploads.ts';

export interface AttachmentsTabProps {
  enterprise: EnterpriseDetail;
  /** The signed-in user may add and remove attachments (enterprise.write). */
  canWrite: boolean;
  /** Hand back the enterprise after an attachment was added or removed. */
  onChange: (detail: EnterpriseDetail) => void;
  /** A user's display name from their id (the detail's attachments carry ids). */
  nameOf: (userId: string) => string;
}

/** 1536 → "1.5 KB"; sizes are shown to one decimal, as a file manager does. */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

function FileIcon({ mime }: { mime: string }) {
  if (mime === 'application/pdf') return <FilePdfOutlined style={{ color: '#c62828' }} />;
  if (mime.startsWith('image/')) return <FileImageOutlined style={{ color: '#1565c0' }} />;
  return <FileOutlined />;
}

/** What a file's name says it is; the host checks the content itself. */
function mimeOfName(name: string): AttachmentMime | null {
  const extension = name.toLowerCase().split('.').pop();
  if (extension === 'pdf') return 'application/pdf';
  if (extension === 'png') return 'image/png';
  if (extension === 'jpg' || extension === 'jpeg') return 'image/jpeg';
  return null;
}

interface Previewing {
  attachment: AttachmentListItem;
  /** The host's path for the file, ending in its name (attachments.link): the viewer's title is the name. */
  url: string;
}

/** Chromium's built-in PDF viewer; a window without it (Electron without plugins) gets a download instead. */
const pdfViewerAvailable = (): boolean => (navigator as Navigator & { pdfViewerEnabled?: boolean }).pdfViewerEnabled !== false;

/**
 * 附件: licences, certificates, penalty decisions and photos kept with the file, listed with who
 * added them and when. Upload (PDF/PNG/JPEG, checked again by content on the host), and preview:
 * images inline, PDFs in a frame, both from the host's path named for the file (attachments.link).
 */
export function AttachmentsTab({ enterprise, canWrite, onChange, nameOf }: AttachmentsTabProps) {
  const { t } = useTranslation();
  const { message, modal } = AntApp.useApp();
  const call = useAppStore((s) => s.call);
  const [list, setList] = useState<AttachmentListItem[] | null>(null);
  const [note, setNote] = useState('');
  const [uploading, setUploading] = useState(false);
  const [previewing, setPreviewing] = useState<Previewing | null>(null);
  const sizeText = formatFileSize(MAX_ATTACHMENT_BYTES);

  const reload = useCallback(async () => {
    const result = await call('attachments.list', { ownerType: 'enterprises', ownerId: enterprise.id });
    if (result.ok) setList(result.value);
  }, [call, enterprise.id]);

  useEffect(() => {
    void reload();
  }, [reload, enterprise.attachments.length]);

  const fail = (error: HostError) => {
    const reason = error.details?.reason;
    void message.error(reason === 'ATTACHMENT_CORRUPT' ? t('enterpriseFiles.attachments.corrupt') : reason === 'ATTACHMENT_MISSING' ? t('enterpriseFiles.attachments.missing') : describeError(error));
  };

  const upload = async (file: File) => {
    const mime = mimeOfName(file.name) ?? (attachmentMimes as readonly string[]).find((m) => m === file.type) ?? null;
    if (mime === null) return void message.error(t('enterpriseFiles.attachments.wrongType'));
    if (file.size > MAX_ATTACHMENT_BYTES) return void message.error(t('enterpriseFiles.attachments.tooBig', { size: sizeText }));
    setUploading(true);
    try {
      const contentBase64 = await fileToBase64(file);
      const trimmed = note.trim();
      const added = await call('attachments.add', {
        ownerType: 'enterprises',
        ownerId: enterprise.id,
        fileName: file.name,
        mime: mime as AttachmentMime,
        contentBase64,
        ...(trimmed === '' ? {} : { note: trimmed }),
      });
      if (!added.ok) {
        // The name passed the check above, so the host refused the bytes: say that they do not match it.
        const typeProblem = added.error.details?.issues?.some((issue) => issue.code === 'FILE_TYPE');
        const kind = mime === 'application/pdf' ? 'PDF' : mime === 'image/png' ? 'PNG' : 'JPEG';
        return void (typeProblem ? message.error(t('enterpriseFiles.attachments.contentMismatch', { name: file.name, kind })) : fail(added.error));
      }
      setNote('');
      void message.success(t('enterpriseFiles.attachments.uploaded', { name: added.value.fileName }));
      const detail = await call('enterprises.get', { id: enterprise.id });
      if (detail.ok) onChange(detail.value);
      else void reload();
    } finally {
      setUploading(false);
    }
  };

  const fetchContent = async (attachment: AttachmentListItem) => {
    const result = await call('attachments.get', { id: attachment.id });
    if (!result.ok) {
      fail(result.error);
      return null;
    }
    return result.value;
  };

  const preview = async (attachment: AttachmentListItem) => {
    if (attachment.mime === 'application/pdf' && !pdfViewerAvailable()) {
      void message.info(t('enterpriseFiles.attachments.noPdfViewer'));
      return download(attachment);
    }
    const link = await call('attachments.link', { id: attachment.id });
    if (!link.ok) return fail(link.error);
    setPreviewing({ attachment, url: link.value.path });
  };

  const download = async (attachment: AttachmentListItem) => {
    const content = await fetchContent(attachment);
    if (content !== null) saveDownload(content.fileName, content.contentBase64, content.mime);
  };

  const confirmRemove = (attachment: AttachmentListItem) => {
    modal.confirm({
      title: t('enterpriseFiles.attachments.removeTitle', { name: attachment.fileName }),
      content: t('enterpriseFiles.attachments.removeBody'),
      okText: t('enterpriseFiles.attachments.remove'),
      okButtonProps: { danger: true },
      onOk: async () => {
        const removed = await call('attachments.remove', { id: attachment.id });
        if (!removed.ok) return fail(removed.error);
        void message.success(t('enterpriseFiles.attachments.removed', { name: attachment.fileName }));
        const detail = await call('enterprises.get', { id: enterprise.id });
        if (detail.ok) onChange(detail.value);
        else void reload();
      },
    });
  };

  const closePreview = () => setPreviewing(null);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {canWrite && (
        <Space wrap>
          <Input style={{ width: 280 }} value={note} maxLength={200} placeholder={t('enterpriseFiles.attachments.notePlaceholder')} onChange={(event) => setNote(event.target.value)} data-testid="attachment-note" />
          <Upload
            accept=".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"
            multiple={false}
            showUploadList={false}
            disabled={uploading}
            beforeUpload={(file) => {
              void upload(file);
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} loading={uploading} data-testid="attachment-upload">
              {t('enterpriseFiles.attachments.upload')}
            </Button>
          </Upload>
          <Typography.Text type="secondary">{t('enterpriseFiles.attachments.uploadHint', { size: sizeText })}</Typography.Text>
        </Space>
      )}
      <Table<AttachmentListItem>
        size="small"
        rowKey="id"
        pagination={false}
        loading={list === null}
        dataSource={list ?? []}
        locale={{ emptyText: t('enterprises.attachments.empty') }}
        data-testid="enterprise-attachments"
        columns={[
          {
            title: t('enterprises.attachments.fileName'),
            dataIndex: 'fileName',
            render: (fileName: string, attachment) => (
              <Space size="small">
                <FileIcon mime={attachment.mime} />
                <Typography.Link ellipsis onClick={() => void preview(attachment)} style={{ maxWidth: 360 }} title={fileName}>
                  {fileName}
                </Typography.Link>
              </Space>
            ),
          },
          { title: t('enterprises.attachments.size'), dataIndex: 'size', width: 100, align: 'right', render: (size: number) => formatFileSize(size) },
          { title: t('enterprises.attachments.note'), dataIndex: 'note', render: (value: string | null) => value ?? '—' },
          {
            title: t('enterprises.attachments.addedBy'),
            dataIndex: 'createdBy',
            width: 140,
            render: (userId: string, attachment) => attachment.createdByName ?? nameOf(userId),
          },
          { title: t('enterprises.attachments.addedAt'), dataIndex: 'createdAt', width: 180, render: (at: string) => formatInstant(at) },
          {
            title: t('enterpriseFiles.attachments.actions'),
            key: 'actions',
            width: canWrite ? 220 : 150,
            render: (_value, attachment) => (
              <Space size={0}>
                <Button type="link" size="small" icon={<EyeOutlined />} onClick={() => void preview(attachment)} data-testid="attachment-preview">
                  {t('enterpriseFiles.attachments.preview')}
                </Button>
                <Button type="link" size="small" icon={<DownloadOutlined />} onClick={() => void download(attachment)}>
                  {t('enterpriseFiles.attachments.download')}
                </Button>
                {canWrite && (
                  <Button type="link" size="small" danger icon={<DeleteOutlined />} onClick={() => confirmRemove(attachment)} data-testid="attachment-remove">
                    {t('enterpriseFiles.attachments.remove')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={previewing !== null}
        width="80vw"
        title={previewing?.attachment.fileName}
        onCancel={closePreview}
        footer={
          previewing === null ? null : (
            <Button icon={<DownloadOutlined />} onClick={() => void download(previewing.attachment)}>
              {t('enterpriseFiles.attachments.download')}
            </Button>
          )
        }
        destroyOnHidden
      >
        {previewing !== null &&
          (previewing.attachment.mime === 'application/pdf' ? (
            <iframe title={previewing.attachment.fileName} src={previewing.url} style={{ width: '100%', height: '75vh', border: 'none' }} data-testid="attachment-pdf" />
          ) : (
            <div style={{ textAlign: 'center' }}>
              <img src={previewing.url} alt={previewing.attachment.fileName} style={{ maxWidth: '100%', maxHeight: '75vh' }} data-testid="attachment-image" />
            </div>
          ))}
      </Modal>
    </Space>
  );
}
