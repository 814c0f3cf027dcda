import pg from 'pg';

/**
 * Whether the bot's own Postgres answers, from a probe on a connection of its own (never a pool client:
 * a query on a hung connection would hold that client for as long as the TCP connection lives). Probes
 * every `intervalMs` with a short connect and query bound, so an outage (refused or packets dropped) is
 * seen within about intervalMs + timeoutMs, and the recovery as quickly.
 */
export class StoreHealth {
  private up = true;
  private lastError = '';
  private timer?: NodeJS.Timeout;
  private probing = false;
  private readonly listeners = new Set<(up: boolean) => void>();

  constructor(
    private readonly connectionString: string,
    private readonly options: { intervalMs?: number; timeoutMs?: number } = {},
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.probe(), this.options.intervalMs ?? 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  get isUp(): boolean {
    return this.up;
  }

  onChange(listener: (up: boolean) => void): void {
    this.listeners.add(listener);
  }

  /** For /readyz: throws while the last probe failed. */
  async check(): Promise<void> {
    if (!this.up) throw new Error(`Postgres unreachable (${this.lastError})`);
  }

  /** One probe now; resolves with the new state. */
  async probe(): Promise<boolean> {
    if (this.probing) return this.up;
    this.probing = true;
    const timeoutMs = this.options.timeoutMs ?? 1500;
    const client = new pg.Client({
      connectionString: this.connectionString,
      connectionTimeoutMillis: timeoutMs,
      query_timeout: timeoutMs,
      application_name: 'opsbot-health',
    });
    client.on('error', () => undefined);
    let up: boolean;
    try {
      await client.connect();
      await client.query('SELECT 1');
      up = true;
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err);
      up = false;
    } finally {
      // end() waits for the server on a hung connection; the socket is ours alone, so just drop it.
      (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
      this.probing = false;
    }
    if (up !== this.up) {
      this.up = up;
      for (const l of this.listeners) l(up);
    }
    return up;
  }
}
