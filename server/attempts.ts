import rateLimit from '@fastify/rate-limit';
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HubError } from './errors.ts';

/**
 * Per-address limits on what an attacker can try without a secret: requests to the endpoints that
 * need none (enrollment, console login), and failed secrets (enrollment codes, the admin token,
 * device tokens). Counted by @fastify/rate-limit's in-memory store, keyed by the
 * socket address (the hub trusts no proxy header). A refused request gets 429 `RATE_LIMITED` with
 * Retry-After, and its secret is not even checked, so a locked-out address learns nothing more.
 */

export interface AttemptLimit {
  max: number;
  windowMs: number;
}

export interface AttemptLimits {
  /** Any request to an endpoint that needs no secret (enrollment, console login), per address. */
  unauthenticated: AttemptLimit;
  /** Wrong, used or expired enrollment codes. A code is ≈79 bits: this is about cost, not odds. */
  enrollment: AttemptLimit;
  /** Wrong admin tokens, on the admin API, /metrics and the console login. */
  admin: AttemptLimit;
  /** Unknown device tokens. */
  device: AttemptLimit;
}

const MINUTE = 60_000;
export const defaultAttemptLimits: AttemptLimits = {
  unauthenticated: { max: 60, windowMs: MINUTE },
  enrollment: { max: 10, windowMs: 15 * MINUTE },
  admin: { max: 10, windowMs: 15 * MINUTE },
  device: { max: 30, windowMs: 15 * MINUTE },
};

export interface FailureCounter {
  /** Refuses the request with 429 when its address has used up its failures. */
  refuseIfExhausted(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** Counts one failure of the request's address. */
  failed(request: FastifyRequest): Promise<void>;
}

const rateLimited = (reply: FastifyReply, retryAfterSeconds: number) => {
  reply.header('retry-after', String(retryAfterSeconds));
  return new HubError('RATE_LIMITED', `Too many attempts from this address; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
};

/** Registers the rate limiter on the hub (before its routes) and returns its failure counters. */
export async function installAttemptLimits(app: FastifyInstance, limits: AttemptLimits): Promise<{ counter(kind: Exclude<keyof AttemptLimits, 'unauthenticated'>): FailureCounter; unauthenticated: FastifyContextConfig }> {
  await app.register(rateLimit, {
    global: false,
    hook: 'onRequest',
    errorResponseBuilder: (_request, context) => new HubError('RATE_LIMITED', `Too many requests from this address; try again in ${Math.ceil(context.ttl / 1000)} s`, { retryAfterSeconds: Math.ceil(context.ttl / 1000) }),
  });
  const counter = (kind: Exclude<keyof AttemptLimits, 'unauthenticated'>): FailureCounter => {
    const limit = limits[kind];
    const check = app.createRateLimit({ max: limit.max, timeWindow: limit.windowMs });
    return {
      async refuseIfExhausted(request, reply) {
        const state = await check(request, { increment: false });
        if (!state.isAllowed && state.remaining <= 0) throw rateLimited(reply, Math.max(1, state.ttlInSeconds));
      },
      async failed(request) {
        await check(request);
      },
    };
  };
  // Route option for the endpoints that need no secret.
  const unauthenticated: FastifyContextConfig = { rateLimit: { max: limits.unauthenticated.max, timeWindow: limits.unauthenticated.windowMs } };
  return { counter, unauthenticated };
}
