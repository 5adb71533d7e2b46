import { useCallback, useEffect, useState } from 'react';
import { App as AntApp, Button, Input, Modal, Space, Table, Typography, Upload } from 'antd';
import { DeleteOutlined, DownloadOutlined, EyeOutlined, FileImageOutlined, FileOutlined, FilePdfOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { attachmentMimes, MAX_ATTACHMENT_BYTES, type AttachmentListItem, type AttachmentMime, type HostError, type MethodInput } from '../../../shared/api/index.ts';

/** Records that carry attachments (the contract's list: enterprise files, credit applications …). */
export type AttachmentOwnerType = MethodInput<'attachments.list'>['ownerType'];
import { useAppStore } from '../stores/app.ts';
import { describeError } from '../i18n/index.ts';
import { formatInstant } from '../format.ts';
import { saveDownload } from '../download.ts';
import { fileToBase64 } from '../uploads.ts';

export interface AttachmentsTabProps {
  /** Whose attachments: an enterprise file, a credit application … (attachments.list ownerType). */
  ownerType: AttachmentOwnerType;
  ownerId: string;
  /** The signed-in user may add and remove attachments here (the owner's write permission). */
  canWrite: boolean;
  /** After an attachment was added or removed: the owner's page reloads what counts them. */
  onChanged: () => void;
  /** A user's display name from their id (for records that carry only ids). */
  nameOf: (userId: string) => string;
  /** Changes when the owner's attachments may have changed elsewhere (an action added a report). */
  revision?: number;
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

/** A host refusal of an attachment in words: a damaged or missing stored file, or the error's own text. */
function useAttachmentFailure() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  return (error: HostError) => {
    const reason = error.details?.reason;
    void message.error(reason === 'ATTACHMENT_CORRUPT' ? t('enterpriseFiles.attachments.corrupt') : reason === 'ATTACHMENT_MISSING' ? t('enterpriseFiles.attachments.missing') : describeError(error));
  };
}

/**
 * Adds a file to an owner's attachments: checks its name's type and its size first, then the host
 * checks the content. Answers the stored attachment, or null after saying why not. Used by the
 * attachments list and wherever a file goes with an action (the investigation report).
 */
export function useAttachmentUpload(ownerType: AttachmentOwnerType, ownerId: string) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const call = useAppStore((s) => s.call);
  const fail = useAttachmentFailure();
  return async (file: File, note: string): Promise<AttachmentListItem | null> => {
    const sizeText = formatFileSize(MAX_ATTACHMENT_BYTES);
    const mime = mimeOfName(file.name) ?? (attachmentMimes as readonly string[]).find((m) => m === file.type) ?? null;
    if (mime === null) {
      void message.error(t('enterpriseFiles.attachments.wrongType'));
      return null;
    }
    if (file.size > MAX_ATTACHMENT_BYTES) {
      void message.error(t('enterpriseFiles.attachments.tooBig', { size: sizeText }));
      return null;
    }
    const contentBase64 = await fileToBase64(file);
    const trimmed = note.trim();
    const added = await call('attachments.add', { ownerType, ownerId, fileName: file.name, mime: mime as AttachmentMime, contentBase64, ...(trimmed === '' ? {} : { note: trimmed }) });
    if (!added.ok) {
      // The name passed the check above, so the host refused the bytes: say that they do not match it.
      const typeProblem = added.error.details?.issues?.some((issue) => issue.code === 'FILE_TYPE');
      const kind = mime === 'application/pdf' ? 'PDF' : mime === 'image/png' ? 'PNG' : 'JPEG';
      if (typeProblem) void message.error(t('enterpriseFiles.attachments.contentMismatch', { name: file.name, kind }));
      else fail(added.error);
      return null;
    }
    void message.success(t('enterpriseFiles.attachments.uploaded', { name: added.value.fileName }));
    return added.value;
  };
}

/**
 * Opens an attachment: images inline, PDFs in a frame, both from the host's path named for the file
 * (attachments.link), so the viewer's title says the file's name; a window without a PDF viewer
 * downloads it instead. `viewer` is the dialog to place on the page.
 */
export function useAttachmentViewer() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const call = useAppStore((s) => s.call);
  const fail = useAttachmentFailure();
  const [previewing, setPreviewing] = useState<Previewing | null>(null);

  const download = async (attachment: AttachmentListItem) => {
    const result = await call('attachments.get', { id: attachment.id });
    if (!result.ok) return fail(result.error);
    saveDownload(result.value.fileName, result.value.contentBase64, result.value.mime);
  };

  const open = async (attachment: AttachmentListItem) => {
    if (attachment.mime === 'application/pdf' && !pdfViewerAvailable()) {
      void message.info(t('enterpriseFiles.attachments.noPdfViewer'));
      return download(attachment);
    }
    const link = await call('attachments.link', { id: attachment.id });
    if (!link.ok) return fail(link.error);
    setPreviewing({ attachment, url: link.value.path });
  };

  const viewer = (
    <Modal
      open={previewing !== null}
      width="80vw"
      title={previewing?.attachment.fileName}
      onCancel={() => setPreviewing(null)}
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
  );

  return { open: (attachment: AttachmentListItem) => void open(attachment), download: (attachment: AttachmentListItem) => void download(attachment), viewer };
}

/**
 * 附件: licences, certificates, penalty decisions and photos kept with their record (an enterprise
 * file, a credit application), listed with who added them and when; upload (PDF/PNG/JPEG, checked
 * again by content on the host), preview and download.
 */
export function AttachmentsTab({ ownerType, ownerId, canWrite, onChanged, nameOf, revision = 0 }: AttachmentsTabProps) {
  const { t } = useTranslation();
  const { message, modal } = AntApp.useApp();
  const call = useAppStore((s) => s.call);
  const [list, setList] = useState<AttachmentListItem[] | null>(null);
  const [note, setNote] = useState('');
  const [uploading, setUploading] = useState(false);
  const uploadAttachment = useAttachmentUpload(ownerType, ownerId);
  const { open: preview, download, viewer } = useAttachmentViewer();
  const fail = useAttachmentFailure();
  const sizeText = formatFileSize(MAX_ATTACHMENT_BYTES);

  const reload = useCallback(async () => {
    const result = await call('attachments.list', { ownerType, ownerId });
    if (result.ok) setList(result.value);
  }, [call, ownerType, ownerId]);

  useEffect(() => {
    void reload();
  }, [reload, revision]);

  const upload = async (file: File) => {
    setUploading(true);
    try {
      if ((await uploadAttachment(file, note)) === null) return;
      setNote('');
      void reload();
      onChanged();
    } finally {
      setUploading(false);
    }
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
        void reload();
        onChanged();
      },
    });
  };

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
                <Typography.Link ellipsis onClick={() => preview(attachment)} style={{ maxWidth: 360 }} title={fileName}>
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
                <Button type="link" size="small" icon={<EyeOutlined />} onClick={() => preview(attachment)} data-testid="attachment-preview">
                  {t('enterpriseFiles.attachments.preview')}
                </Button>
                <Button type="link" size="small" icon={<DownloadOutlined />} onClick={() => download(attachment)}>
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
      {viewer}
    </Space>
  );
}
