/** The product's sections, in navigation order; the route is the key. */
export const sectionKeys = ['enterprises', 'collateral', 'loans', 'rectification', 'reports', 'sync', 'settings'] as const;
export type SectionKey = (typeof sectionKeys)[number];
