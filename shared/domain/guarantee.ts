/**
 * 担保方式, the guarantee mode of a credit application or a loan: one list for both, so an
 * application's mode and the loan disbursed under it are the same value. The environmental-rights
 * pledge (排污权, 碳排放权, 用能权, 水权 and the future-income rights of seeds 000 and 003) is a mode
 * of its own because the green-credit statistics and the collateral register count it apart from
 * an ordinary pledge of deposits or receivables.
 */
export const guaranteeModes = ['credit', 'guarantee', 'mortgage', 'pledge', 'environmental_rights_pledge'] as const;

export type GuaranteeMode = (typeof guaranteeModes)[number];

/** The bank's own words, as core systems and application forms print them. */
export const guaranteeModeWords: Record<GuaranteeMode, string> = {
  credit: '信用',
  guarantee: '保证',
  mortgage: '抵押',
  pledge: '质押',
  environmental_rights_pledge: '环境权益质押',
};

/** A pledge whose collateral belongs in the environmental-rights register (DOMAIN §2). */
export function isEnvironmentalRightsPledge(mode: GuaranteeMode): boolean {
  return mode === 'environmental_rights_pledge';
}
