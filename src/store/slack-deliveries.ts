import type { Pool } from './pool.js';

/**
 * Slack delivery ids claimed in Postgres: the delivery guard's fallback while Redis is unreachable
 * (and its second check for a while after, see src/slack/delivery-guard.ts). One INSERT … ON CONFLICT
 * DO NOTHING per claim; rows older than an hour are pruned now and then.
 */
export class SlackDeliveryRepository {
  private lastPrune = 0;

  constructor(
    private readonly pool: Pool,
    private readonly options: { keepMs?: number; pruneEveryMs?: number } = {},
  ) {}

  /** True when this call stored the id (the first delivery); false when it was already there. */
  async claim(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'INSERT INTO slack_deliveries (id) VALUES ($1) ON CONFLICT (id) DO NOTHING',
      [id],
    );
    this.maybePrune();
    return rowCount === 1;
  }

  /** Deletes claims older than keepMs (1 h); resolves with how many went. */
  async prune(): Promise<number> {
    this.lastPrune = Date.now();
    const { rowCount } = await this.pool.query(
      `DELETE FROM slack_deliveries WHERE claimed_at < now() - make_interval(secs => $1)`,
      [(this.options.keepMs ?? 3_600_000) / 1000],
    );
    return rowCount ?? 0;
  }

  private maybePrune(): void {
    if (Date.now() - this.lastPrune < (this.options.pruneEveryMs ?? 600_000)) return;
    void this.prune().catch(() => undefined);
  }
}
