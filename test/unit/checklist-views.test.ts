import { describe, expect, it } from 'vitest';
import { renderChecklistStatus } from '../../views/checklist-status.js';
import { renderReplyAsText } from '../../views/plain-text.js';

const now = new Date('2026-11-23T10:00:00Z');
const run = (dueAt: Date, completedAt?: Date) => ({
  id: 'r1',
  checklist: 'daily',
  title: 'Daily checks',
  postedBy: 'U0ALICE',
  createdAt: new Date('2026-11-23T09:00:00Z'),
  dueAt,
  completedAt,
  remindersSent: 0,
  channelId: 'C0OPS',
  items: [{ position: 1, text: 'Check application health', state: 'open' as const }],
});

describe('/ops checklist status (issue 14, case 8)', () => {
  it('does not count a run that is not yet due as failed', () => {
    const reply = renderChecklistStatus({
      days: 30,
      now,
      stats: [{ checklist: 'daily', runs: 1, completed: 0, onTime: 0, pending: 1 }],
      recent: [run(new Date('2026-11-23T17:00:00Z'))],
      completers: [],
    });
    const text = renderReplyAsText(reply);
    expect(text).not.toContain('0% completed (0 of 1 runs)');
    expect(text).toContain('no run due yet');
    expect(text).toContain('1 in progress');
    // Nor as a 0 % rate on the list's own line (found by npm run demo:replies).
    expect(text).toContain('daily no run due yet, 1 in progress');
    expect(text).not.toMatch(/daily .*0%/);
    expect(reply.tone).toBe('ok');
  });

  it('rates only the runs that were due', () => {
    const reply = renderChecklistStatus({
      days: 30,
      now,
      stats: [{ checklist: 'daily', runs: 3, completed: 1, onTime: 1, pending: 1 }],
      recent: [run(new Date('2026-11-23T17:00:00Z')), run(new Date('2026-11-23T09:30:00Z'))],
      completers: [],
    });
    const text = renderReplyAsText(reply);
    expect(text).toContain('50% completed (1 of 2 due runs)');
    expect(text).toContain('1 in progress');
  });
});
