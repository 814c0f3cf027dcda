// The faults a test or the playground asks the fake Web API to answer with: queued
// ok:false errors, 429s with Retry-After, 5xx answers, timed outages and delays, per method.

export type Fault =
  { kind: 'fail'; error: string } | { kind: 'ratelimit'; seconds: number } | { kind: 'server'; status: number };

export class FaultPlan {
  private queued = new Map<string, Fault[]>();
  private delays = new Map<string, number[]>();
  private outages = new Map<string, number>(); // method → until (epoch ms)

  /** The next `times` calls to `method` get this fault, one each. */
  queue(method: string, fault: Fault, times: number): void {
    push(this.queued, method, fault, times);
  }

  /** HTTP 500 to every call to these methods for the next `ms`. */
  outage(methods: string[], ms: number): void {
    for (const m of methods) this.outages.set(m, Date.now() + ms);
  }

  delay(method: string, ms: number, times: number): void {
    push(this.delays, method, ms, times);
  }

  /** How long the next call to `method` waits before it is answered (0: none asked for). */
  takeDelay(method: string): number {
    return this.delays.get(method)?.shift() ?? 0;
  }

  /** The fault the next call to `method` gets: an outage first, then the queue. */
  take(method: string): Fault | undefined {
    if ((this.outages.get(method) ?? 0) > Date.now()) return { kind: 'server', status: 500 };
    return this.queued.get(method)?.shift();
  }

  clear(): void {
    this.queued.clear();
    this.delays.clear();
    this.outages.clear();
  }
}

function push<T>(map: Map<string, T[]>, method: string, value: T, times: number): void {
  const q = map.get(method) ?? [];
  for (let i = 0; i < times; i++) q.push(value);
  map.set(method, q);
}
