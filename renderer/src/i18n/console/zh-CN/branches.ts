/** 支行与设备: each branch's laptops, their last sync and audit anchors, open conflicts. */
export const branches = {
  branches: {
    heading: '支行与设备（{{count}}）',
    branch: '支行',
    devices: '设备',
    lastSyncAt: '最近同步',
    conflicts: '待处理冲突',
    rows: '记录数',
    noDevices: '尚无设备',
    none: '尚无支行：请用管理员令牌登记支行（见 server/README.md）',
    lastSync: '上次同步 {{at}} · {{version}}',
    never: '尚未同步',
    revoked: '已停用',
    notAnchored: '审计链尚未锚定',
    anchored: '审计链锚定至第 {{seq}} 条（{{at}}，{{hash}}…）',
    rewritten: '审计链被改写：第 {{seq}} 条的哈希 {{hash}}… 与此前锚定的 {{earlier}}… 不符（{{at}}）',
  },
};
