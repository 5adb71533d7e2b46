import { useState } from 'react';
import { Input, Modal, Typography } from 'antd';

/** The shortest reason taken: a word or two of Chinese says why; one character does not. */
const MIN_REASON = 4;

export interface ReasonDialogProps {
  open: boolean;
  title: string;
  /** What the action does and who will see the reason. */
  body: string;
  label: string;
  placeholder: string;
  okText: string;
  /** The message under the box when the reason is shorter than four characters. */
  tooShort: string;
  /** Does the work with the trimmed reason; returns the refusal to show under the box, or null when done. */
  submit: (reason: string) => Promise<string | null>;
  onClose: () => void;
  danger?: boolean;
  maxLength: number;
  rows: number;
  showCount?: boolean;
  testId: string;
  reasonTestId?: string;
}

/**
 * An action that needs a reason the audit trail keeps (a credit manager's gate override, deleting
 * an enterprise file): the reason box, a refusal shown under it, the box emptied on cancel.
 */
export function ReasonDialog(props: ReasonDialogProps) {
  const { open, title, body, label, placeholder, okText, tooShort, submit, onClose, danger = false, maxLength, rows, showCount = false, testId, reasonTestId } = props;
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    if (reason.trim().length < MIN_REASON) return setProblem(tooShort);
    setBusy(true);
    try {
      const refused = await submit(reason.trim());
      if (refused !== null) return setProblem(refused);
      setReason('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      okButtonProps={{ danger, loading: busy }}
      onOk={() => void run()}
      onCancel={() => {
        setReason('');
        setProblem(null);
        onClose();
      }}
      destroyOnHidden
      data-testid={testId}
    >
      <Typography.Paragraph type="secondary">{body}</Typography.Paragraph>
      <Typography.Text>{label}</Typography.Text>
      <Input.TextArea
        aria-label={label}
        value={reason}
        rows={rows}
        maxLength={maxLength}
        showCount={showCount}
        placeholder={placeholder}
        status={problem === null ? '' : 'error'}
        onChange={(event) => {
          setReason(event.target.value);
          setProblem(null);
        }}
        style={{ marginTop: 4 }}
        data-testid={reasonTestId}
      />
      {problem !== null && <Typography.Text type="danger">{problem}</Typography.Text>}
    </Modal>
  );
}
