/**
 * Today as a local date in Beijing time (YYYY-MM-DD), whatever zone the laptop is set to: deadlines
 * are calendar days in Asia/Shanghai (shared/domain/calendar.ts).
 */
export function todayInShanghai(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** An outdated-capacity exit deadline that has passed without an exit (seed 000: strict on new credit). */
export function isExitOverdue(outdated: { flagged: false } | { flagged: true; exitDeadline: string; exitedOn: string | null }, today = todayInShanghai()): boolean {
  return outdated.flagged && outdated.exitedOn === null && outdated.exitDeadline < today;
}
