// The views at their extremes, through the same path the Slack layer uses (toSlackMessage:
// fitReply, redaction, attachments), checked by the fake Slack's strict Block Kit rules.
import { describe, expect, it } from 'vitest';
import { checkMessage, checkView, formatProblem } from '../../src/sandbox/slack/block-kit-rules.js';
import { toSlackMessage } from '../../src/slack/render.js';
import { renderAlertGroup, ALERT_MENU, type AlertView } from '../../views/alert-card.js';
import { renderChecklistMessage } from '../../views/checklist-message.js';
import { renderHelp } from '../../views/help.js';
import { renderIncidentTimeline } from '../../views/incident-timeline.js';
import { renderDeclareModal, renderUpdateModal } from '../../views/incident-modals.js';
import type { Reply } from '../../views/reply.js';

const problems = (reply: Reply) => checkMessage(toSlackMessage(reply)).map(formatProblem);
const x = (n: number) => 'x'.repeat(n);
const alert = (over: Partial<AlertView> = {}): AlertView => ({
  id: '1',
  title: 'prod-db-cpu',
  state: 'firing',
  severity: 'P1',
  firstSeen: new Date(Date.now() - 600_000),
  lastSeen: new Date(),
  count: 3,
  ...over,
});

describe('views within Slack Block Kit rules at their extremes', () => {
  it('an alert group whose alert has one choice left gets a button, not a one-option overflow menu', () => {
    const reply = renderAlertGroup({
      messageId: '9',
      total: 2,
      alerts: [alert({ ackedBy: 'U0BOB', silencedUntil: new Date(Date.now() + 3_600_000) }), alert({ id: '2' })],
    });
    expect(problems(reply)).toEqual([]);
    const json = JSON.stringify(reply.blocks);
    expect(json).toContain(`"action_id":"${ALERT_MENU}","value":"incident:1"`);
  });

  it('an alert group of many long-named alerts', () => {
    const alerts = Array.from({ length: 60 }, (_, i) => alert({ id: String(i), title: x(400), reason: x(5000) }));
    expect(
      problems(renderAlertGroup({ messageId: '9', total: 80, alerts, runbook: `https://r.example/${x(100)}` })),
    ).toEqual([]);
  });

  it('help with three hundred commands and long summaries', () => {
    const entries = Array.from({ length: 300 }, (_, i) => ({
      name: `topic${i % 40} command${i}`,
      summary: x(300),
      usage: `/ops topic${i} command${i}`,
      risk: 'read' as const,
    }));
    expect(
      problems(
        renderHelp(
          entries,
          Array.from({ length: 30 }, (_, i) => `env-${x(40)}-${i}`),
        ),
      ),
    ).toEqual([]);
  });

  it('an incident timeline of long entries', () => {
    const items = Array.from({ length: 500 }, (_, k) => ({
      at: new Date(Date.UTC(2026, 2, 1) + k * 60_000),
      kind: 'note',
      actorId: 'U0BOB',
      text: x(3000),
    }));
    const incident = {
      id: 7,
      title: x(500),
      severity: 'P1' as const,
      status: 'open' as const,
      declaredBy: 'U0A',
      declaredAt: new Date(),
      channelId: 'C1',
    };
    expect(problems(renderIncidentTimeline(incident, items, 'UTC'))).toEqual([]);
  });

  it('a checklist of sixty long items, each with a command and a runbook', () => {
    const items = Array.from({ length: 60 }, (_, k) => ({
      position: k + 1,
      text: x(500),
      command: `db ${x(80)}`,
      runbook: `https://runbooks.example.com/${x(200)}`,
      state: 'open' as const,
    }));
    const run = {
      id: '00000000-0000-4000-8000-000000000001',
      checklist: 'morning',
      title: x(400),
      postedBy: 'opsbot',
      createdAt: new Date(),
      dueAt: new Date(Date.now() + 3_600_000),
      remindersSent: 0,
      items,
    };
    expect(problems(renderChecklistMessage(run, { now: new Date(), canRun: () => true }))).toEqual([]);
  });

  it('incident forms with many environments and long titles', () => {
    const envs = Array.from({ length: 150 }, (_, i) => `environment-${x(90)}-${i}`);
    const sevs = (['P0', 'P1', 'P2', 'P3', 'P4'] as const).map((level) => ({ level, label: x(200) }));
    expect(checkView(renderDeclareModal(sevs, envs, x(2000)), 'modal').map(formatProblem)).toEqual([]);
    expect(checkView(renderUpdateModal({ id: 123456, title: x(500) }), 'modal').map(formatProblem)).toEqual([]);
  });
});
