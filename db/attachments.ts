import type { Db } from './open.ts';

/** Repository of attachment rows (table from 0004-enterprises.sql); the files live in the data folder. */
export interface AttachmentRow {
  id: string;
  version: number;
  created_at: string;
  created_by: string;
  deleted_at: string | null;
  owner_type: string;
  owner_id: string;
  file_name: string;
  mime: string;
  size: number;
  sha256: string;
  note: string | null;
}

export interface AttachmentListRow extends AttachmentRow {
  /** Who added it: the name in the people directory, or the one the audit entry recorded (someone unknown here). */
  created_by_name: string | null;
}

export function getAttachment(db: Db, id: string): AttachmentRow | undefined {
  return db.prepare('SELECT * FROM attachments WHERE id = ? AND deleted_at IS NULL').get(id) as AttachmentRow | undefined;
}

export function listAttachments(db: Db, ownerType: string, ownerId: string): AttachmentListRow[] {
  return db
    .prepare(
      `SELECT a.*, coalesce(p.display_name,
         (SELECT l.user_name FROM audit_log l WHERE l.record_type = 'attachments' AND l.record_id = a.id AND l.action = 'insert')) AS created_by_name
       FROM attachments a LEFT JOIN people p ON p.id = a.created_by
       WHERE a.owner_type = ? AND a.owner_id = ? AND a.deleted_at IS NULL
       ORDER BY a.created_at DESC, a.id DESC`,
    )
    .all(ownerType, ownerId) as AttachmentListRow[];
}
