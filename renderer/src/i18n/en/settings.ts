import type { settings as zhCN } from '../zh-CN/settings.ts';

export const settings: typeof zhCN = {
  settings: {
    title: 'Settings',
    language: 'Language',
    languageHelp: 'The language preference is stored in the local database and kept across restarts.',
    saved: 'Saved',
    about: 'About this installation',
    appVersion: 'Version',
    mode: 'Mode',
    dataDir: 'Data directory',
    databaseFile: 'Database file',
    encryption: 'Encryption at rest',
    encryptionOn: 'Encrypted ({{cipher}})',
    encryptionOff: 'Not encrypted',
    schemaVersion: 'Schema version',
  },
  backup: {
    title: 'Backups',
    intro: 'An encrypted backup is taken daily and the newest {{keep}} are kept. A restore checks integrity and the audit chain first; afterwards everyone signs in again.',
    create: 'Back up now',
    created: 'Backup completed',
    restore: 'Restore',
    restoreConfirm: 'Replace the current data with this backup? The current data is set aside first and kept if the restore fails.',
    restored: 'Restored; please sign in again',
    file: 'Backup file',
    size: 'Size',
    time: 'Time',
    none: 'No backups yet',
    keyNote: "Backups are encrypted with this laptop's database key: restoring on another computer needs the same key file.",
  },
};
