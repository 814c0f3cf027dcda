import { describe, expect, it } from 'vitest';
import { incidentChannelName } from '../../src/incidents/args.js';
import { parseUserMention } from '../../commands/incident/args.js';
import {
  escapeKeepingMentions,
  humanDuration,
  renderIncidentCard,
  type IncidentView,
} from '../../views/incident-card.js';
import { renderIncidentList } from '../../views/incident-list.js';
import { renderIncidentTimeline } from '../../views/incident-timeline.js';
import { renderPostmortemMarkdown } from '../../views/incident-postmortem.js';
import { renderEscalation, renderIncidentDone, renderIncidentEvent } from '../../views/incident-messages.js';

const t0 = new Date('2026-03-01T23:30:00Z');
const base: IncidentView = {
  id: 7,
  title: 'Checkout <fails>',
  severity: 'P1',
  status: 'open',
  declaredBy: 'U0ALICE',
  declaredAt: t0,
  ownerId: 'U0ALICE',
  channelId: 'C0INC',
};
const sev = { label: 'High — major feature down', target: '1h', dueAt: new Date(t0.getTime() + 3_600_000) };
const json = (v: unknown) => JSON.stringify(v);

describe('incident helpers', () => {
  it('names channels inc-<date>-<slug>, in the configured time zone, within Slack limits', () => {
    expect(incidentChannelName('inc', t0, 'Checkout is failing!', 'UTC')).toBe('inc-20260301-checkout-is-failing');
    expect(incidentChannelName('inc', t0, 'Checkout', 'Europe/Berlin')).toBe('inc-20260302-checkout');
    expect(incidentChannelName('inc', t0, 'Café au lait', 'UTC', 2)).toBe('inc-20260301-cafe-au-lait-2');
    expect(incidentChannelName('inc', t0, '🔥🔥', 'UTC')).toBe('inc-20260301-incident');
    expect(incidentChannelName('inc', t0, 'x'.repeat(200), 'UTC', 3).length).toBeLessThanOrEqual(80);
  });

  it('reads Slack mentions and refuses plain @names with the fix', () => {
    expect(parseUserMention('<@U0BOB|bob>')).toBe('U0BOB');
    expect(parseUserMention('<@W0BOB>')).toBe('W0BOB');
    expect(parseUserMention('U0BOB')).toBe('U0BOB');
    expect(() => parseUserMention('@bob')).toThrow(/plain text/);
    expect(() => parseUserMention('bob')).toThrow(/not a Slack user/);
  });

  it('formats durations with the two largest units', () => {
    expect(humanDuration(42_000)).toBe('42s');
    expect(humanDuration(3_600_000)).toBe('1h');
    expect(humanDuration(3_900_000)).toBe('1h 5m');
    expect(humanDuration(90_061_000)).toBe('1d 1h');
  });

  it('escapes text but keeps mentions', () => {
    expect(escapeKeepingMentions('<@U0BOB|bob> & <script>')).toBe('<@U0BOB|bob> &amp; &lt;script&gt;');
  });
});

describe('incident views', () => {
  it('the card shows severity colour, status, owner, response target and buttons while open', () => {
    const card = renderIncidentCard(base, sev, new Date(t0.getTime() + 60_000));
    expect(card.tone).toBe('danger');
    const text = json(card.blocks);
    expect(text).toContain('Checkout <fails>'); // header is plain text
    expect(text).toContain(`due by <!date^${(t0.getTime() + 3_600_000) / 1000}^`);
    expect(text).toContain('(1h)');
    for (const action of ['incident.ack', 'incident.update', 'incident.resolve']) expect(text).toContain(action);
    const overdue = json(renderIncidentCard(base, sev, new Date(t0.getTime() + 7_200_000)).blocks);
    expect(overdue).toContain('overdue');
    const resolved = renderIncidentCard(
      {
        ...base,
        status: 'resolved',
        acknowledgedAt: new Date(t0.getTime() + 600_000),
        resolvedAt: new Date(t0.getTime() + 3_600_000),
        mitigatedAt: new Date(t0.getTime() + 1_800_000),
        resolvedBy: 'U0BOB',
        summary: 'fixed',
      },
      sev,
      new Date(),
    );
    expect(resolved.tone).toBe('ok');
    expect(json(resolved.blocks)).toContain('*Time to mitigate*\\n30m');
    expect(json(resolved.blocks)).not.toContain('incident.ack');
  });

  it('lists incidents in the order given with age and owner, and says when there are none', () => {
    const list = json(
      renderIncidentList([{ ...base, severity: 'P0', title: 'Down' }, base], new Date(t0.getTime() + 7_200_000)).blocks,
    );
    expect(list.indexOf('Down')).toBeLessThan(list.indexOf('Checkout'));
    expect(list).toContain('2h old');
    expect(json(renderIncidentList([], new Date()).blocks)).toContain('No open incidents');
  });

  it('a long timeline keeps the latest entries and attaches all of them', () => {
    const items = Array.from({ length: 55 }, (_, k) => ({
      at: new Date(t0.getTime() + k * 60_000),
      kind: 'note',
      actorId: 'U0BOB',
      text: `entry ${k}`,
    }));
    const reply = renderIncidentTimeline(base, items, 'UTC');
    expect(reply.blocks.length).toBeLessThanOrEqual(50);
    expect(json(reply.blocks)).toContain('entry 54');
    expect(json(reply.blocks)).not.toContain('entry 3 ');
    expect(String(reply.files?.[0].content)).toContain('entry 0');
  });

  it('the postmortem draft has every section and turns action notes into action items', () => {
    const resolved = {
      ...base,
      status: 'resolved' as const,
      acknowledgedAt: new Date(t0.getTime() + 300_000),
      resolvedAt: new Date(t0.getTime() + 3_600_000),
      mitigatedAt: new Date(t0.getTime() + 1_800_000),
      summary: 'Rolled back',
    };
    const md = renderPostmortemMarkdown(
      resolved,
      [
        { at: t0, kind: 'declared', actorId: 'U0ALICE', text: 'declared P1' },
        { at: t0, kind: 'note', actorId: 'U0BOB', text: 'Action: add an alarm | on 5xx' },
      ],
      sev,
      new Date(),
    );
    for (const heading of [
      '## Summary',
      '## Impact',
      '## Timeline (UTC)',
      '## Root cause',
      '## What went well',
      '## Action items',
    ])
      expect(md).toContain(heading);
    expect(md).toContain('| add an alarm \\| on 5xx | TODO | TODO |');
    expect(md).toContain('| Time to acknowledge | 5m (target 1h, due 2026-03-02 00:30 UTC) |');
    expect(md).toContain('Acknowledged within the P1 target');
  });

  it('the escalation mentions on-call, or says how to configure it', () => {
    const escalation = json(renderEscalation(base, '<@U0ONCALL>', sev, new Date(t0.getTime() + 3_605_000)).blocks);
    expect(escalation).toContain('<@U0ONCALL>');
    expect(escalation).toContain('(target 1h, due <!date^');
    expect(json(renderEscalation(base, '', sev, new Date()).blocks)).toContain('incidents.oncallRole');
  });
});

describe('notification text (issue 14, case 4)', () => {
  it('keeps emoji codes and identifiers with underscores, and drops only the emphasis', () => {
    const event = renderIncidentEvent(
      base,
      ':arrow_down: *Severity* P1 → P2 by <@U0ALICE>: _db_conn_pool_ full on `expo_prod`',
    );
    expect(event.text).toBe('INC-7: :arrow_down: Severity P1 → P2 by <@U0ALICE>: db_conn_pool full on expo_prod');
    expect(renderIncidentDone('Assigned *INC-7* to <@U0BOB> in `#inc_20261123_checkout`').text).toBe(
      'Assigned INC-7 to <@U0BOB> in #inc_20261123_checkout',
    );
  });
});
