// When `npm start` / `npm run dev` restart a child that exited unexpectedly (scripts/run.ts through
// ChildGroup in scripts/services/child-group.ts), and when they give up. Pure: the clock is passed in, so the
// rules are tested without waiting (tests/unit/restart-policy.test.ts).
//
//   - restart after 1 s, doubling with each further crash up to 30 s;
//   - a child that ran for a minute before crashing was healthy: its next restart waits 1 s again;
//   - a crash loop stops everything: a crash after 5 restarts within the last 2 minutes is not
//     restarted, so a child that cannot start (bad configuration, a broken build) does not retry forever.

export interface RestartPolicyOptions {
  initialDelayMs: number;
  maxDelayMs: number;
  /** Up this long before crashing counts as healthy: the backoff starts over. */
  healthyAfterMs: number;
  /** At most this many restarts within windowMs; the next crash gives up. */
  maxRestarts: number;
  windowMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicyOptions = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  healthyAfterMs: 60_000,
  maxRestarts: 5,
  windowMs: 120_000,
};

export type RestartDecision =
  | { action: "restart"; delayMs: number; /** 1 for the first restart of this child */ restart: number }
  | { action: "give-up"; restartsInWindow: number };

/** One child's restart history. */
export class RestartPolicy {
  private readonly restartTimes: number[] = [];
  private nextDelayMs: number;
  private total = 0;

  constructor(private readonly options: RestartPolicyOptions = DEFAULT_RESTART_POLICY) {
    this.nextDelayMs = options.initialDelayMs;
  }

  /** Restarts decided so far. */
  get restarts(): number {
    return this.total;
  }

  /** The child, started at `startedAt`, exited unexpectedly at `now`: restart it (after how long), or give up. */
  onUnexpectedExit(startedAt: number, now: number): RestartDecision {
    const { initialDelayMs, maxDelayMs, healthyAfterMs, maxRestarts, windowMs } = this.options;
    while (this.restartTimes.length > 0 && now - this.restartTimes[0]! > windowMs) this.restartTimes.shift();
    if (this.restartTimes.length >= maxRestarts) return { action: "give-up", restartsInWindow: this.restartTimes.length };
    if (now - startedAt >= healthyAfterMs) this.nextDelayMs = initialDelayMs;
    const delayMs = this.nextDelayMs;
    this.nextDelayMs = Math.min(delayMs * 2, maxDelayMs);
    this.restartTimes.push(now);
    this.total += 1;
    return { action: "restart", delayMs, restart: this.total };
  }
}
