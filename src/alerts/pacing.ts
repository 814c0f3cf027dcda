import type { Redis } from 'ioredis';

// Token bucket per channel, shared by every replica through Redis. Returns 0
// when a token was taken, else how many ms until one will be there. A pause
// (set after Slack answered 429 with Retry-After) blocks the channel outright.
const TAKE = `
local pause = redis.call('PTTL', KEYS[2])
if pause > 0 then return pause end
local now = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local b = redis.call('HMGET', KEYS[1], 't', 'at')
local tokens = tonumber(b[1]) or burst
local at = tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
if tokens < 1 then
  redis.call('HSET', KEYS[1], 't', tostring(tokens), 'at', now)
  return math.ceil((1 - tokens) / rate)
end
redis.call('HSET', KEYS[1], 't', tostring(tokens - 1), 'at', now)
redis.call('PEXPIRE', KEYS[1], 600000)
return 0
`;

const REFUND = `
local burst = tonumber(ARGV[1])
local t = tonumber(redis.call('HGET', KEYS[1], 't'))
if t then redis.call('HSET', KEYS[1], 't', tostring(math.min(burst, t + 1))) end
return 0
`;

/** Per-channel Slack pacing: about `perSecond` posts a second with bursts of `burst`. */
export class ChannelPacer {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly rate: { perSecond: number; burst: number },
  ) {}

  private keys(channel: string): [string, string] {
    return [`${this.prefix}:outbox:bucket:${channel}`, `${this.prefix}:outbox:pause:${channel}`];
  }

  /** 0 when the caller may send now; otherwise the wait in ms. */
  async take(channel: string): Promise<number> {
    const [bucket, pause] = this.keys(channel);
    return Number(
      await this.redis.eval(TAKE, 2, bucket, pause, Date.now(), this.rate.perSecond / 1000, this.rate.burst),
    );
  }

  /** Gives back a token that was taken but not used. */
  async refund(channel: string): Promise<void> {
    await this.redis.eval(REFUND, 1, this.keys(channel)[0], this.rate.burst);
  }

  /** Slack said 429: nobody posts to this channel until Retry-After has passed. */
  async pause(channel: string, ms: number): Promise<void> {
    await this.redis.set(this.keys(channel)[1], '1', 'PX', Math.max(1, Math.round(ms)));
  }
}
