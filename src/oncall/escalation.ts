import { whoIsOnCall, type Override, type Schedule } from './rotation.js';
import { addWindowTime, type WeeklyWindow } from './windows.js';
import { formatLocal } from './zoned-time.js';

/**
 * Escalation arithmetic, with the time handed in. A page's chain is a
 * sequence of firings: step 0, 1, … of the first pass, then of each repeat.
 * Firing `seq` is due `after` past the start of its pass; a pass lasts the
 * last step's `after` plus `repeatAfter`. Business-hours-only policies count
 * only business time, so a page at 22:00 starts at 09:00 and a 4-hour step
 * begun at 16:00 fires at 11:00 the next working day. What is stored about a
 * page is only when it started and how many firings were sent.
 */

export interface EscalationStep {
  /** primary | secondary | <layer> | <role> | @U0USER | S0USERGROUP */
  notify: string[];
  /** Milliseconds since the start of the pass. */
  after: number;
}

export interface EscalationPolicy {
  steps: EscalationStep[];
  repeat: number | 'until-acknowledged';
  repeatAfter: number;
  businessHoursOnly: boolean;
}

export interface EscalationClock {
  timeZone: string;
  businessHours: WeeklyWindow;
}

export interface Firing {
  /** 0, 1, 2, … across passes: the page's generation of notifications. */
  seq: number;
  /** 0 for the first pass, 1 for the first repeat, … */
  pass: number;
  step: number;
  at: Date;
}

export interface Unreachable {
  target: string;
  reason: string;
  resumesAt?: Date;
}

export interface Recipients {
  /** Slack users to page (DM), without duplicates, in step order. */
  users: string[];
  usergroups: string[];
  /** Which target brought in whom: for the timeline ("primary: <@U0ALICE>"). */
  via: { target: string; users: string[] }[];
  unreachable: Unreachable[];
}

export interface EscalationDecision {
  /** The firing to send now, if any. Late timers collapse: only the latest due step is sent. */
  due?: { firing: Firing; recipients: Recipients };
  /** Due firings passed over in favour of a later one. */
  skipped: Firing[];
  /** When the next firing is due; undefined when the chain is over. */
  next?: Firing;
  /** The chain has no firings left (sent them all, not acknowledged). */
  exhausted: boolean;
  /** Set when the due step reached nobody: send the next one now (`force`) rather than at its time. */
  reachedNobody?: boolean;
}

/** The time firing `seq` is due, or undefined past the last repeat. */
export function firingAt(
  policy: EscalationPolicy,
  clock: EscalationClock,
  startedAt: Date,
  seq: number,
): Firing | undefined {
  const n = policy.steps.length;
  const pass = Math.floor(seq / n);
  const step = seq % n;
  if (seq < 0 || (policy.repeat !== 'until-acknowledged' && pass > policy.repeat)) return undefined;
  const passLength = policy.steps[n - 1].after + policy.repeatAfter;
  const offset = pass * passLength + policy.steps[step].after;
  const at = policy.businessHoursOnly
    ? addWindowTime(clock.businessHours, clock.timeZone, startedAt.getTime(), offset)
    : startedAt.getTime() + offset;
  return at === undefined ? undefined : { seq, pass, step, at: new Date(at) };
}

/** Whom a step's targets reach at an instant: layers through the schedule, roles through `roles`. */
export function recipients(
  step: EscalationStep,
  ctx: { schedule: Schedule; overrides: Override[]; at: Date; roles?: (name: string) => string[] | undefined },
): Recipients {
  const out: Recipients = { users: [], usergroups: [], via: [], unreachable: [] };
  const onCall = whoIsOnCall(ctx.schedule, ctx.at, ctx.overrides);
  const add = (target: string, users: string[]) => {
    out.via.push({ target, users });
    for (const u of users) if (!out.users.includes(u)) out.users.push(u);
  };
  for (const target of step.notify) {
    if (target.startsWith('@')) {
      add(target, [target.slice(1)]);
      continue;
    }
    if (/^S[A-Z0-9]{2,}$/.test(target)) {
      if (!out.usergroups.includes(target)) out.usergroups.push(target);
      continue;
    }
    const layer = onCall.find((o) => o.layer === target);
    if (layer) {
      if (layer.userId) add(target, [layer.userId]);
      else {
        const when = layer.resumesAt ? ` until ${formatLocal(layer.resumesAt, ctx.schedule.timeZone)}` : '';
        out.unreachable.push({ target, reason: `nobody is on call on ${target}${when}`, resumesAt: layer.resumesAt });
      }
      continue;
    }
    const members = ctx.roles?.(target);
    if (members && members.length > 0) add(target, members);
    else if (members) out.unreachable.push({ target, reason: `role ${target} has no members` });
    else {
      const layers = ctx.schedule.layers.map((l) => l.name).join(', ');
      out.unreachable.push({
        target,
        reason: `schedule ${ctx.schedule.name} has no layer ${target} (layers: ${layers}) and there is no role of that name`,
      });
    }
  }
  return out;
}

/**
 * The decision for a page at `now`: which firing (if any) to send, to whom,
 * and when to look again. `fired` is how many firings were already sent.
 * `force` sends firing `fired` now even when it is not due yet: the Escalate
 * button, and the step after one that reached nobody. Acknowledged pages are
 * not asked about: acknowledgement ends the chain.
 */
export function escalate(input: {
  policy: EscalationPolicy;
  clock: EscalationClock;
  startedAt: Date;
  fired: number;
  now: Date;
  schedule: Schedule;
  overrides?: Override[];
  roles?: (name: string) => string[] | undefined;
  force?: boolean;
}): EscalationDecision {
  const { policy, clock, startedAt, now } = input;
  const due: Firing[] = [];
  let next: Firing | undefined;
  for (let seq = input.fired; ; seq++) {
    const f = firingAt(policy, clock, startedAt, seq);
    if (!f) break;
    if (f.at.getTime() > now.getTime() && !(input.force && seq === input.fired)) {
      next = f;
      break;
    }
    due.push(f);
    if (due.length > 10_000) {
      // A chain left alone for months: the latest step is what matters; look again at the one after it.
      next = firingAt(policy, clock, startedAt, seq + 1);
      break;
    }
  }
  const latest = due[due.length - 1];
  if (!latest) return { skipped: [], next, exhausted: next === undefined };
  const step = policy.steps[latest.step];
  const reach = recipients(step, {
    schedule: input.schedule,
    overrides: input.overrides ?? [],
    at: now,
    roles: input.roles,
  });
  const decision: EscalationDecision = {
    due: { firing: latest, recipients: reach },
    skipped: due.slice(0, -1),
    next,
    exhausted: next === undefined,
  };
  if (reach.users.length === 0 && reach.usergroups.length === 0 && next) {
    decision.reachedNobody = true;
    decision.next = { ...next, at: now };
  }
  return decision;
}

/** The policy's schedule of firings from `startedAt`, for showing a chain ("secondary at 09:05"). */
export function plannedFirings(
  policy: EscalationPolicy,
  clock: EscalationClock,
  startedAt: Date,
  limit = policy.steps.length,
): Firing[] {
  const out: Firing[] = [];
  for (let seq = 0; seq < limit; seq++) {
    const f = firingAt(policy, clock, startedAt, seq);
    if (!f) break;
    out.push(f);
  }
  return out;
}
