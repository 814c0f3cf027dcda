import { randomBytes } from 'node:crypto';

/**
 * An error the user caused or can fix (bad arguments, not allowed, unknown
 * environment, dependency unreachable). Its message is shown as is, so it must
 * say what went wrong and what to type instead.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    /** Extra lines shown under the message, e.g. the command's usage. */
    readonly hint?: string,
  ) {
    super(message);
  }
}

/**
 * Thrown when an approved plan no longer matches live state (someone deployed,
 * scaled, a pid was reused). Nothing was changed; the message says what
 * changed, the hint how to ask again.
 */
export class PlanChangedError extends UserError {
  readonly planChanged = true;
}

export function isPlanChanged(err: unknown): err is PlanChangedError {
  return err instanceof PlanChangedError;
}

/** Refuses to act when a precondition of an approved plan no longer holds. */
export function requireUnchanged(holds: boolean, message: string, hint: string): void {
  if (!holds) throw new PlanChangedError(message, hint);
}

/** A dependency that did not answer in time; rendered as "unreachable after 3s". */
export class TimeoutError extends UserError {
  constructor(
    readonly what: string,
    readonly ms: number,
  ) {
    super(`${what} unreachable after ${formatSeconds(ms)}`);
  }
}

export function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}

/** Short reference that ties a generic "failed (ref 7f3a)" reply to its log line. */
export function newErrorRef(): string {
  return randomBytes(2).toString('hex');
}

export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError;
}

/** Races a promise against a timer; the timer never keeps the process alive. */
export async function withTimeout<T>(what: string, ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new TimeoutError(what, ms));
    }, ms);
    timer.unref();
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Why a signal was aborted, as an Error (a cancel carries one; a timeout carries a DOMException, also an Error). */
export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason ?? 'aborted'));
}
