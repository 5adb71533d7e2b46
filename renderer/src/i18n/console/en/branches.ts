import type { branches as zhCN } from '../zh-CN/branches.ts';

export const branches: typeof zhCN = {
  branches: {
    heading: 'Branches and devices ({{count}})',
    branch: 'Branch',
    devices: 'Devices',
    lastSyncAt: 'Last sync',
    conflicts: 'Open conflicts',
    rows: 'Records',
    noDevices: 'No devices yet',
    none: 'No branches yet: register one with the admin token (see server/README.md)',
    lastSync: 'last sync {{at}} · {{version}}',
    never: 'never synced',
    revoked: 'Revoked',
    notAnchored: 'Audit chain not anchored yet',
    anchored: 'Audit chain anchored at entry {{seq}} ({{at}}, {{hash}}…)',
    rewritten: 'Audit chain rewritten: entry {{seq}}’s hash {{hash}}… differs from the {{earlier}}… anchored earlier ({{at}})',
  },
};
