// When a failed upstream attempt may be tried again (reference/mosn.md §5.6, with the issue's
// rule that a request is re-sent only if it is idempotent or nothing of it reached the upstream):
// never once a response byte went downstream; connect failures up to 3 attempts even without a
// policy (MOSN); resets, per-try timeouts and listed (or 5xx) statuses only with retry_on.
import { MIN_CONNECT_ATTEMPTS } from '../../api/cluster.ts';
import type { RetryPolicyConfig } from '../../api/router.ts';
import { IDEMPOTENT_METHODS } from '../../protocol/http1/constants.ts';

export type AttemptFailure = 'connect-failure' | 'reset' | 'per-try-timeout' | 'status' | 'reused-connection-reset';

export class RetryState {
  readonly #policy: RetryPolicyConfig | undefined;
  readonly #idempotent: boolean;
  #attempts = 0;
  /** fresh connections tried again after a pooled one failed (a keep-alive race) */
  #raceRetries = 0;

  constructor(policy: RetryPolicyConfig | undefined, method: string) {
    this.#policy = policy;
    this.#idempotent = IDEMPOTENT_METHODS.has(method);
  }

  startAttempt(): void {
    this.#attempts++;
  }

  /** Whether a response with this status should be retried instead of returned. */
  retriesStatus(status: number): boolean {
    const p = this.#policy;
    if (!p?.retryOn) return false;
    return p.statusCodes.length > 0 ? p.statusCodes.includes(status) : status >= 500;
  }

  /**
   * `sentToUpstream`: any request byte left for the upstream; `replayable`: the whole body is
   * still at hand (no body, or kept in the retry buffer).
   */
  shouldRetry(kind: AttemptFailure, sentToUpstream: boolean, replayable: boolean): boolean {
    const p = this.#policy;
    const maxRetries = p?.retryOn ? p.numRetries : 0;
    if (kind === 'connect-failure') return this.#attempts < Math.max(MIN_CONNECT_ATTEMPTS, maxRetries + 1);
    // A pooled connection the upstream had just closed: try once more on a fresh one, if safe.
    if (kind === 'reused-connection-reset' && this.#raceRetries === 0 && this.#idempotent && replayable) {
      this.#raceRetries++;
      return true;
    }
    if (!p?.retryOn || this.#attempts > maxRetries) return false;
    if (sentToUpstream && !(this.#idempotent && replayable)) return false;
    return true;
  }

  get perTryTimeoutMs(): number {
    return this.#policy?.retryTimeoutMs ?? 0;
  }
}

/** MOSN's fixed back-off between attempts. */
export const RETRY_BACKOFF_MS = 10;
