/**
 * The one way tests wait for something to happen: poll `check` until it returns a truthy value (which is
 * returned), or throw naming what was awaited, with the last value seen or the last error thrown.
 * A test never sleeps for a fixed time to let something happen; it waits for the thing itself.
 */
export interface WaitOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** Time between checks (default 50 ms). */
  intervalMs?: number;
}

export async function waitUntil<T>(
  description: string,
  check: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 50 }: WaitOptions = {},
): Promise<Exclude<T, false | 0 | '' | null | undefined>> {
  const deadline = Date.now() + timeoutMs;
  let last: { value: unknown } | { error: unknown };
  for (;;) {
    try {
      const value = await check();
      if (value) return value as Exclude<T, false | 0 | '' | null | undefined>;
      last = { value };
    } catch (error) {
      last = { error };
    }
    if (Date.now() >= deadline) {
      const seen =
        'error' in last
          ? `last error: ${last.error instanceof Error ? last.error.message : String(last.error)}`
          : `last value: ${show(last.value)}`;
      throw new Error(`timed out after ${timeoutMs}ms waiting for ${description} (${seen})`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 400 ? `${value.slice(0, 400)}…` : value);
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json.length > 400 ? `${json.slice(0, 400)}…` : json;
}
