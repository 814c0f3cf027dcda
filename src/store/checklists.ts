import type { QueryResultRow } from 'pg';
import { inTransaction, type Pool } from './pool.js';

export type ItemState = 'open' | 'done' | 'skipped';
export type ChecklistEventAction = 'tick' | 'untick' | 'skip' | 'run_passed' | 'run_failed' | 'reminded' | 'completed';

export interface ChecklistItemRow {
  position: number;
  text: string;
  command?: string;
  runbook?: string;
  state: ItemState;
  doneBy?: string;
  doneAt?: Date;
  /** 'click' or 'run' (ticked by a passing Run). */
  via?: string;
  skipReason?: string;
}

export interface ChecklistRun {
  id: string;
  checklist: string;
  title: string;
  channelId: string;
  messageTs?: string;
  scheduledFor?: Date;
  postedBy: string;
  owner?: string;
  createdAt: Date;
  dueAt: Date;
  completedAt?: Date;
  remindersSent: number;
  items: ChecklistItemRow[];
}

export interface NewRun {
  checklist: string;
  title: string;
  channelId: string;
  postedBy: string;
  owner?: string;
  scheduledFor?: Date;
  dueInMs: number;
  items: { text: string; command?: string; runbook?: string }[];
}

export interface ChecklistStats {
  checklist: string;
  runs: number;
  completed: number;
  onTime: number;
  /** Neither completed nor due yet: in progress, not failed. */
  pending: number;
}

const toItem = (r: QueryResultRow): ChecklistItemRow => ({
  position: r.position,
  text: r.text,
  command: r.command ?? undefined,
  runbook: r.runbook ?? undefined,
  state: r.state,
  doneBy: r.done_by ?? undefined,
  doneAt: r.done_at ?? undefined,
  via: r.via ?? undefined,
  skipReason: r.skip_reason ?? undefined,
});

const toRun = (r: QueryResultRow, items: ChecklistItemRow[]): ChecklistRun => ({
  id: r.id,
  checklist: r.checklist,
  title: r.title,
  channelId: r.channel_id,
  messageTs: r.message_ts ?? undefined,
  scheduledFor: r.scheduled_for ?? undefined,
  postedBy: r.posted_by,
  owner: r.owner ?? undefined,
  createdAt: r.created_at,
  dueAt: r.due_at,
  completedAt: r.completed_at ?? undefined,
  remindersSent: r.reminders_sent,
  items,
});

const isUuid = (id: string) => /^[0-9a-f-]{36}$/i.test(id);

/** Checklist runs and their items. Every change is one conditional UPDATE, so concurrent clicks and retries agree. */
export class ChecklistRepository {
  constructor(private readonly pool: Pool) {}

  /** Creates a run, or, when its schedule slot was claimed already (another replica, a retry), returns that run with created: false. */
  async create(input: NewRun): Promise<{ run: ChecklistRun; created: boolean }> {
    const createdId = await inTransaction(this.pool, async (client) => {
      const { rows } = await client.query(
        `INSERT INTO checklist_runs (checklist, title, channel_id, posted_by, owner, scheduled_for, due_at)
         VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7::double precision / 1000))
         ON CONFLICT (checklist, scheduled_for) DO NOTHING RETURNING id`,
        [
          input.checklist,
          input.title,
          input.channelId,
          input.postedBy,
          input.owner ?? null,
          input.scheduledFor ?? null,
          input.dueInMs,
        ],
      );
      if (!rows[0]) return undefined;
      await client.query(
        `INSERT INTO checklist_items (run_id, position, text, command, runbook)
         SELECT $1, ordinality, text, NULLIF(command, ''), NULLIF(runbook, '')
           FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS i(text, command, runbook, ordinality)`,
        [
          rows[0].id,
          input.items.map((i) => i.text),
          input.items.map((i) => i.command ?? ''),
          input.items.map((i) => i.runbook ?? ''),
        ],
      );
      return String(rows[0].id);
    });
    if (createdId) return { run: (await this.get(createdId))!, created: true };
    const { rows: existing } = await this.pool.query(
      'SELECT id FROM checklist_runs WHERE checklist = $1 AND scheduled_for = $2',
      [input.checklist, input.scheduledFor],
    );
    return { run: (await this.get(existing[0].id))!, created: false };
  }

  async get(id: string): Promise<ChecklistRun | undefined> {
    if (!isUuid(id)) return undefined;
    const [run, items] = await Promise.all([
      this.pool.query('SELECT * FROM checklist_runs WHERE id = $1', [id]),
      this.pool.query('SELECT * FROM checklist_items WHERE run_id = $1 ORDER BY position', [id]),
    ]);
    return run.rows[0] ? toRun(run.rows[0], items.rows.map(toItem)) : undefined;
  }

  async setMessage(id: string, ts: string): Promise<void> {
    await this.pool.query('UPDATE checklist_runs SET message_ts = $2 WHERE id = $1', [id, ts]);
  }

  /** Ticks an item; false when it was ticked already (a second click, a Slack retry). */
  async tick(runId: string, position: number, userId: string, via: 'click' | 'run'): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE checklist_items SET state = 'done', done_by = $3, done_at = now(), via = $4, skip_reason = NULL
        WHERE run_id = $1 AND position = $2 AND state <> 'done'`,
      [runId, position, userId, via],
    );
    if (rowCount) await this.event(runId, position, userId, 'tick', via === 'run' ? 'by a passing Run' : undefined);
    return Boolean(rowCount);
  }

  /** Unticks (or un-skips) an item; recorded like a tick. */
  async untick(runId: string, position: number, userId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE checklist_items SET state = 'open', done_by = NULL, done_at = NULL, via = NULL, skip_reason = NULL
        WHERE run_id = $1 AND position = $2 AND state <> 'open'`,
      [runId, position],
    );
    if (rowCount) await this.event(runId, position, userId, 'untick');
    return Boolean(rowCount);
  }

  async skip(runId: string, position: number, userId: string, reason: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE checklist_items SET state = 'skipped', done_by = $3, done_at = now(), via = NULL, skip_reason = $4
        WHERE run_id = $1 AND position = $2 AND state = 'open'`,
      [runId, position, userId, reason],
    );
    if (rowCount) await this.event(runId, position, userId, 'skip', reason);
    return Boolean(rowCount);
  }

  /**
   * Marks the run complete when no item is open (exactly one caller gets
   * 'completed'), or reopens it when an untick left an item open.
   */
  async settle(runId: string): Promise<'completed' | 'reopened' | 'unchanged'> {
    const done = await this.pool.query(
      `UPDATE checklist_runs SET completed_at = now()
        WHERE id = $1 AND completed_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM checklist_items WHERE run_id = $1 AND state = 'open')`,
      [runId],
    );
    if (done.rowCount) {
      await this.event(runId, undefined, 'opsbot', 'completed');
      return 'completed';
    }
    const reopened = await this.pool.query(
      `UPDATE checklist_runs SET completed_at = NULL
        WHERE id = $1 AND completed_at IS NOT NULL
          AND EXISTS (SELECT 1 FROM checklist_items WHERE run_id = $1 AND state = 'open')`,
      [runId],
    );
    return reopened.rowCount ? 'reopened' : 'unchanged';
  }

  /** Claims reminder number `level` for an overdue, incomplete run; undefined when it is done or was reminded already. */
  async claimReminder(runId: string, level: number): Promise<ChecklistRun | undefined> {
    const { rows } = await this.pool.query(
      `UPDATE checklist_runs SET reminders_sent = $2
        WHERE id = $1 AND completed_at IS NULL AND reminders_sent < $2 AND due_at <= now() RETURNING id`,
      [runId, level],
    );
    if (!rows[0]) return undefined;
    await this.event(runId, undefined, 'opsbot', 'reminded', `reminder ${level}`);
    return this.get(runId);
  }

  async event(
    runId: string,
    position: number | undefined,
    actor: string,
    action: ChecklistEventAction,
    detail?: string,
  ): Promise<void> {
    await this.pool.query(
      'INSERT INTO checklist_events (run_id, position, actor, action, detail) VALUES ($1, $2, $3, $4, $5)',
      [runId, position ?? null, actor, action, detail ?? null],
    );
  }

  /** The newest incomplete run in a channel (optionally of one list): what `/ops checklist skip` acts on. */
  async latestOpen(channelId: string | undefined, checklist?: string): Promise<ChecklistRun | undefined> {
    const { rows } = await this.pool.query(
      `SELECT id FROM checklist_runs WHERE completed_at IS NULL
          AND ($1::text IS NULL OR channel_id = $1) AND ($2::text IS NULL OR checklist = $2)
        ORDER BY created_at DESC LIMIT 1`,
      [channelId ?? null, checklist ?? null],
    );
    return rows[0] ? this.get(rows[0].id) : undefined;
  }

  async recent(checklist: string | undefined, limit: number): Promise<ChecklistRun[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM checklist_runs WHERE ($1::text IS NULL OR checklist = $1) ORDER BY created_at DESC LIMIT $2`,
      [checklist ?? null, limit],
    );
    if (rows.length === 0) return [];
    const items = await this.pool.query(
      'SELECT * FROM checklist_items WHERE run_id = ANY($1::uuid[]) ORDER BY position',
      [rows.map((r) => r.id)],
    );
    return rows.map((r) => toRun(r, items.rows.filter((i) => i.run_id === r.id).map(toItem)));
  }

  /** Per list over the last `days`: runs posted, completed, and completed before they were due. */
  async stats(checklist: string | undefined, days: number, now = new Date()): Promise<ChecklistStats[]> {
    const { rows } = await this.pool.query(
      `SELECT checklist, count(*)::int AS runs, count(completed_at)::int AS completed,
              count(*) FILTER (WHERE completed_at <= due_at)::int AS on_time,
              count(*) FILTER (WHERE completed_at IS NULL AND due_at > $3)::int AS pending
         FROM checklist_runs
        WHERE created_at > now() - make_interval(days => $2) AND ($1::text IS NULL OR checklist = $1)
        GROUP BY checklist ORDER BY checklist`,
      [checklist ?? null, days, now],
    );
    return rows.map((r) => ({
      checklist: r.checklist,
      runs: r.runs,
      completed: r.completed,
      onTime: r.on_time,
      pending: r.pending,
    }));
  }

  /** Who ticks items (not counting ticks later undone), most first. */
  async completers(checklist: string | undefined, days: number): Promise<{ userId: string; items: number }[]> {
    const { rows } = await this.pool.query(
      `SELECT i.done_by AS user_id, count(*)::int AS items
         FROM checklist_items i JOIN checklist_runs r ON r.id = i.run_id
        WHERE i.state = 'done' AND r.created_at > now() - make_interval(days => $2) AND ($1::text IS NULL OR r.checklist = $1)
        GROUP BY i.done_by ORDER BY items DESC, user_id LIMIT 10`,
      [checklist ?? null, days],
    );
    return rows.map((r) => ({ userId: r.user_id, items: r.items }));
  }
}
