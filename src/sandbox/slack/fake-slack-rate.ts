// Slack's per-channel posting limit (about one message a second, with a short burst) as a token bucket,
// for the fake Web API's chat.postMessage. Off until a test or the playground sets a rate.

export class ChannelRate {
  private rate?: { perSecond: number; burst: number };
  private buckets = new Map<string, { tokens: number; at: number }>();

  set(opts: { perSecond: number; burst: number } | null): void {
    this.rate = opts ?? undefined;
    this.buckets.clear();
  }

  /** Takes one token for `channel`; false when the channel is over its rate (the call gets a 429). */
  take(channel: string): boolean {
    const rate = this.rate;
    if (!rate) return true;
    const now = Date.now();
    const b = this.buckets.get(channel) ?? { tokens: rate.burst, at: now };
    b.tokens = Math.min(rate.burst, b.tokens + ((now - b.at) / 1000) * rate.perSecond);
    b.at = now;
    this.buckets.set(channel, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
