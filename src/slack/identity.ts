import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log.js';
import { slackErrorCode } from './messenger.js';

export interface BotIdentity {
  botId?: string;
  botUserId?: string;
  teamId?: string;
}

export interface SlackIdentityOptions {
  /** First pause after a failed auth.test; doubles up to maxDelayMs, with full jitter. */
  minDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
}

/**
 * Who the bot is (auth.test), learned in the background. Bolt's own token verification runs auth.test in
 * the App constructor and lets its failure escape as an unhandled rejection, so a Slack outage at deploy
 * time killed the process; here auth.test is retried with exponential backoff and jitter until Slack
 * answers, the bot keeps serving meanwhile, and /readyz reports Slack as down until it has.
 * A token Slack rejects (invalid_auth, token_revoked…) is retried too, more slowly: it is reported by
 * `check()` with Slack's error code so the operator sees it in /readyz and the log.
 */
export class SlackIdentity {
  private identity?: BotIdentity;
  private lastError = 'not checked yet';
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private attempt = 0;
  private readonly minDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly random: () => number;

  constructor(
    private readonly client: WebClient,
    private readonly token: string,
    private readonly log: Logger,
    options: SlackIdentityOptions = {},
  ) {
    this.minDelayMs = options.minDelayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 60_000;
    this.random = options.random ?? Math.random;
  }

  /** Starts verifying in the background; never throws. */
  start(): void {
    this.stopped = false;
    void this.verify();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  get known(): BotIdentity | undefined {
    return this.identity;
  }

  /** For /readyz: resolves once Slack has answered auth.test, throws the last failure until then. */
  async check(): Promise<void> {
    if (!this.identity) throw new Error(`Slack unreachable (auth.test: ${this.lastError})`);
  }

  /** Bolt's authorize hook: the token always, the bot's ids once known (Bolt's ignoreSelf uses them). */
  readonly authorize = async (): Promise<{ botToken: string; botId?: string; botUserId?: string }> => ({
    botToken: this.token,
    botId: this.identity?.botId,
    botUserId: this.identity?.botUserId,
  });

  private async verify(): Promise<void> {
    if (this.stopped) return;
    try {
      const result = await this.client.auth.test({ token: this.token });
      this.identity = {
        botId: result.bot_id as string | undefined,
        botUserId: result.user_id as string | undefined,
        teamId: result.team_id as string | undefined,
      };
      if (this.attempt > 0) this.log.info({ attempts: this.attempt + 1 }, 'Slack answered auth.test again');
      this.attempt = 0;
    } catch (err) {
      this.lastError = slackErrorCode(err) ?? (err instanceof Error ? err.message : String(err));
      const delay = this.nextDelay();
      this.log.warn({ err, retryInMs: delay, attempt: this.attempt }, 'Slack auth.test failed; retrying');
      if (this.stopped) return;
      this.timer = setTimeout(() => void this.verify(), delay);
      this.timer.unref();
    }
  }

  private nextDelay(): number {
    const cap = Math.min(this.maxDelayMs, this.minDelayMs * 2 ** this.attempt);
    this.attempt += 1;
    // "Full jitter" keeps replicas that lost Slack together from retrying in step.
    return Math.max(this.minDelayMs / 2, Math.round(cap * this.random()));
  }
}
