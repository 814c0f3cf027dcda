import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { mentionText, routeAlert } from '../../src/alerts/router.js';
import { silenceMatches } from '../../src/alerts/silences.js';
import type { NormalizedAlert } from '../../src/alerts/types.js';
import { renderAlertGroup, ALERT_ACK, ALERT_MENU, type AlertView } from '../../views/alert-card.js';
import { renderAlertStorm } from '../../views/alert-storm.js';

const { config } = parseConfig(
  `
environments:
  prod: { region: us-east-1 }
  staging: {}
channels: { alerts: C0ALERTS }
alerts:
  routes:
    - { match: { alarmName: "*-db-*", environment: prod }, channel: C0DB, severity: P1, mention: [U0DBA, S0ONCALL, here], runbook: "https://runbooks.example.com/db", autoIncident: true }
    - { match: { namespace: "AWS/ECS" }, channel: C0APP }
    - { match: { source: alertmanager, severity: P1 }, channel: C0PAGE }
`,
  {},
);

const alert = (over: Partial<NormalizedAlert>): NormalizedAlert => ({
  source: 'cloudwatch',
  key: 'k',
  title: 't',
  state: 'firing',
  at: new Date().toISOString(),
  ...over,
});

describe('routing', () => {
  it('first matching rule wins, with its severity, mentions and runbook', () => {
    const r = routeAlert(config, alert({ alarmName: 'prod-db-cpu', environment: 'prod' }));
    expect(r).toMatchObject({
      index: 0,
      channel: 'C0DB',
      severity: 'P1',
      autoIncident: true,
      runbook: 'https://runbooks.example.com/db',
    });
    expect(mentionText(r.mentions)).toBe('<@U0DBA> <!subteam^S0ONCALL> <!here>');
  });

  it('matches on environment, namespace, source and severity', () => {
    expect(routeAlert(config, alert({ alarmName: 'staging-db-cpu', environment: 'staging' })).channel).toBe('C0ALERTS');
    expect(routeAlert(config, alert({ metric: { namespace: 'AWS/ECS' } })).channel).toBe('C0APP');
    expect(routeAlert(config, alert({ source: 'alertmanager', severity: 'P1' })).channel).toBe('C0PAGE');
    expect(routeAlert(config, alert({ source: 'alertmanager', severity: 'P3' })).channel).toBe('C0ALERTS');
  });

  it('sends unmatched alerts to channels.alerts with the default severity, or the sender own', () => {
    expect(routeAlert(config, alert({}))).toMatchObject({ channel: 'C0ALERTS', severity: 'P2' });
    expect(routeAlert(config, alert({})).index).toBeUndefined();
    expect(routeAlert(config, alert({ severity: 'P4' })).severity).toBe('P4');
  });

  it('silences match a dedupe key exactly or a glob over key, title and alarm name', () => {
    const a = {
      key: 'arn:aws:cloudwatch:us-east-1:1:alarm:prod-db-cpu',
      title: 'prod-db-cpu',
      alarmName: 'prod-db-cpu',
    };
    expect(silenceMatches(a.key, a)).toBe(true);
    expect(silenceMatches('prod-db-cpu', a)).toBe(true);
    expect(silenceMatches('*-db-*', a)).toBe(true);
    expect(silenceMatches('prod-db', a)).toBe(false);
    expect(silenceMatches('staging-*', a)).toBe(false);
  });
});

const view = (over: Partial<AlertView> = {}): AlertView => ({
  id: '1',
  title: 'prod-db-cpu',
  state: 'firing',
  severity: 'P1',
  firstSeen: new Date(Date.now() - 600_000),
  lastSeen: new Date(),
  count: 3,
  ...over,
});

describe('alert message views', () => {
  it('a single alert is a red card with buttons; resolved turns green with its duration', () => {
    const firing = renderAlertGroup({
      messageId: '9',
      alerts: [view()],
      total: 1,
      runbook: 'https://runbooks.example.com/db',
    });
    expect(firing.tone).toBe('danger');
    const json = JSON.stringify(firing.blocks);
    for (const id of [
      ALERT_ACK,
      'alert.silence.1h',
      'alert.silence.4h',
      'alert.silence.24h',
      'alert.incident',
      'alert.runbook',
    ])
      expect(json).toContain(`"action_id":"${id}"`);
    expect(json).toContain('3×');
    const resolved = renderAlertGroup({
      messageId: '9',
      alerts: [view({ state: 'resolved', resolvedAt: new Date(), ackedBy: 'U0BOB' })],
      total: 1,
    });
    expect(resolved.tone).toBe('ok');
    expect(JSON.stringify(resolved.blocks)).toMatch(/Resolved .* after 10m/);
    expect(JSON.stringify(resolved.blocks)).not.toContain(ALERT_ACK);
  });

  it('several alerts arriving together are one message with a menu per alert', () => {
    const reply = renderAlertGroup({
      messageId: '9',
      alerts: [
        view({ id: '1' }),
        view({ id: '2', title: 'prod-db-conn', severity: 'P2' }),
        view({ id: '3', title: 'prod-db-disk', state: 'resolved', resolvedAt: new Date() }),
      ],
      total: 3,
    });
    const json = JSON.stringify(reply.blocks);
    expect(reply.text).toBe('3 alerts (2 firing)');
    expect(json.match(new RegExp(`"action_id":"${ALERT_MENU}"`, 'g'))).toHaveLength(2);
    expect(json).toContain('ack:2');
  });

  it('a storm summary lists every alarm and stays inside Slack limits', () => {
    const alerts = Array.from({ length: 300 }, (_, i) =>
      view({ id: String(i), title: `storm-alarm-${String(i).padStart(3, '0')}-with-a-longish-name` }),
    );
    const reply = renderAlertStorm({ messageId: '5', alerts, total: 300, startedAt: new Date(Date.now() - 60_000) });
    expect(reply.blocks.length).toBeLessThanOrEqual(50);
    const json = JSON.stringify(reply.blocks);
    for (const a of alerts) expect(json).toContain(a.title);
    expect(json).toContain('alert.ack-all');
  });
});

describe('severity words and alarm-name patterns (issue 14, defaults)', () => {
  it('maps alert words onto the labels of the severity table (ESN: P0 Critical, P1 High, P2 Medium, P3 Low)', async () => {
    const { toSeverity } = await import('../../src/alerts/types.js');
    expect(['critical', 'high', 'medium', 'low'].map((w) => toSeverity(w))).toEqual(['P0', 'P1', 'P2', 'P3']);
    expect(config.incidents.severities.P0.label).toMatch(/^Critical/);
    expect(config.incidents.severities.P1.label).toMatch(/^High/);
  });

  it('gives an alarm without a severity one from the guides alarm-name patterns, after routes', () => {
    expect(routeAlert(config, alert({ alarmName: 'expo-project-prod-5xx' })).severity).toBe('P1');
    expect(routeAlert(config, alert({ alarmName: 'expertconnect-backend-cpu-high' })).severity).toBe('P2');
    expect(routeAlert(config, alert({ alarmName: 'something-else' })).severity).toBe('P2'); // alerts.defaultSeverity
    expect(routeAlert(config, alert({ alarmName: 'prod-db-cpu', environment: 'prod' })).severity).toBe('P1'); // route
    expect(routeAlert(config, alert({ alarmName: 'expo-project-prod-5xx', severity: 'P3' })).severity).toBe('P3');
  });
});
