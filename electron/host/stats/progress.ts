import type { CallContext, HostContext } from '../context.ts';

/**
 * Progress of long statistics calls, by the caller's job id within its session: the reports screen
 * passes a jobId with the call and polls stats.progress while it runs (the call yields between pages,
 * so the poll is answered). Kept in memory only; an entry goes when its call ends.
 */
export interface JobProgress {
  done: number;
  total: number;
  stage: string;
}

const jobsOf = new WeakMap<HostContext, Map<string, JobProgress>>();

function jobs(ctx: HostContext): Map<string, JobProgress> {
  let map = jobsOf.get(ctx);
  if (map === undefined) jobsOf.set(ctx, (map = new Map()));
  return map;
}

const keyOf = (call: CallContext, jobId: string) => `${call.sessionId}\u0000${jobId}`;

export function jobProgress(ctx: HostContext, call: CallContext, jobId: string): JobProgress | null {
  return jobs(ctx).get(keyOf(call, jobId)) ?? null;
}

/** Runs `work` with a reporter that records its progress under the job id (when one was given). */
export async function withProgress<T>(ctx: HostContext, call: CallContext, jobId: string | undefined, work: (report: (stage: string, done: number, total: number) => void) => Promise<T>): Promise<T> {
  if (jobId === undefined) return work(() => {});
  const key = keyOf(call, jobId);
  const map = jobs(ctx);
  map.set(key, { done: 0, total: 0, stage: 'start' });
  try {
    return await work((stage, done, total) => map.set(key, { done, total, stage }));
  } finally {
    map.delete(key);
  }
}
