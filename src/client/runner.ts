// The call loop around transport.ts: pacing slot → one attempt, or classify the failure (retry.ts)
// and wait. Enforces maxRetries, the per-wait cap and the total budget (totalTimeoutMs); reports
// each retry through onRetry (method, path, reason, wait; never the key or the body).

import { isWachtError, WachtError, WachtTimeoutError } from "./errors";
import { scrubError } from "./redact";
import type { ResolvedConfig } from "./config";
import type { TokenBucket } from "./pacing";
import { retryDelay, shouldRetry, type RetryDelaySource, type RetryReason } from "./retry";
import {
  secretsOf,
  sendAttempt,
  type ApiRequest,
  type HttpMethod,
  type TransportContext,
} from "./transport";

/** What onRetry receives before each wait. */
export interface RetryInfo {
  /** The attempt that just failed (1 = the first). */
  attempt: number;
  /** How long the client will wait before the next attempt. */
  delayMs: number;
  reason: RetryReason;
  /** Where the wait came from: Retry-After header, the 429 message hint, or backoff. */
  source: RetryDelaySource;
  method: HttpMethod;
  /** API path without query string. */
  path: string;
  /** HTTP status of the failed attempt, when a response arrived. */
  status?: number;
}

/** Everything a call needs besides its request (holds the key: never expose it). */
export interface Runtime extends TransportContext, ResolvedConfig {
  bucket: TokenBucket | undefined;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  onRetry: ((info: RetryInfo) => void) | undefined;
}

/** One logical API call: the request, its answer's schema, and whether it is safe to repeat. */
export interface CallSpec<T> extends ApiRequest<T> {
  /** Safe to repeat after the server may have acted (GET, DELETE, absolute-value PATCH). */
  idempotent: boolean;
}

/** Executes a call spec (bound to one client's runtime). */
export type Execute = <T>(spec: CallSpec<T>) => Promise<T>;

function note(error: WachtError, text: string): void {
  error.message = `${error.message} (${text})`;
}

/** What is left of the call's total budget, in ms. */
function remaining(rt: Runtime, start: number): number {
  return rt.totalTimeoutMs - (rt.now() - start);
}

/** Runs a call with pacing, retries and the total budget. Resolves with the parsed body. */
export async function runCall<T>(rt: Runtime, spec: CallSpec<T>): Promise<T> {
  const now = rt.now;
  const start = now();
  let attempt = 0;
  for (;;) {
    if (rt.bucket !== undefined) {
      const wait = rt.bucket.tryReserve(now(), Math.max(0, remaining(rt, start)));
      if (wait === null) {
        const err = new WachtTimeoutError({
          method: spec.method,
          path: spec.path,
          phase: "total",
          timeoutMs: rt.totalTimeoutMs,
          requestMaybeSent: false,
          detail: `client-side pacing: the next request slot is beyond the remaining total budget (${Math.max(0, Math.round(remaining(rt, start)))} ms of ${rt.totalTimeoutMs} ms)`,
        });
        err.attempts = attempt;
        throw err;
      }
      if (wait > 0) await rt.sleep(wait);
    }
    attempt++;
    const left = remaining(rt, start);
    try {
      return await sendAttempt(rt, spec, {
        ms: Math.max(1, Math.min(rt.timeoutMs, left)),
        isTotal: left < rt.timeoutMs,
      });
    } catch (e) {
      if (!isWachtError(e)) throw e;
      e.attempts = attempt;
      // Last pass over every server-provided text before the error leaves the call.
      scrubError(e, secretsOf(rt, spec));
      const reason = shouldRetry(e, { idempotent: spec.idempotent });
      if (reason === null || attempt > rt.maxRetries) {
        if (attempt > 1) note(e, `${reason === null ? "" : "gave up "}after ${attempt} attempts`);
        throw e;
      }
      const status = e.kind === "api" ? (e as WachtError & { status: number }).status : undefined;
      const delay = retryDelay({
        attempt,
        error: e,
        random: rt.random,
        maxRetryWaitMs: rt.maxRetryWaitMs,
      });
      const budget = remaining(rt, start);
      if (delay.delayMs >= budget) {
        note(
          e,
          `gave up after ${attempt} attempt${attempt === 1 ? "" : "s"}: the next wait of ${delay.delayMs} ms exceeds the remaining total budget of ${Math.max(0, Math.round(budget))} ms`,
        );
        throw e;
      }
      rt.onRetry?.({
        attempt,
        delayMs: delay.delayMs,
        reason,
        source: delay.source,
        method: spec.method,
        path: spec.path,
        ...(status === undefined ? {} : { status }),
      });
      await rt.sleep(delay.delayMs);
    }
  }
}
