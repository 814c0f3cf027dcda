// A pasted opsbot link to an incident unfurls as its card: a signed link_shared event against the real
// app, chat.unfurl on the fake Slack (which checks its arguments as Slack does).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp, SIGNING_SECRET } from '../support/test-app.js';
import { eventBody, postToSlackEndpoint } from '../support/slack-request.js';
import { opsbotLink, parseOpsbotLink } from '../../src/core/links.js';
import { renderAlertUnfurl } from '../../views/link-unfurl.js';
import { checkMessage } from '../../views/block-kit-rules.js';

const BASE = 'https://opsbot.example.com';

describe('link unfurls', () => {
  let app: TestApp;
  let incidentId: number;
  beforeAll(async () => {
    app = await TestApp.start({ env: { publicUrl: BASE } });
    await app.ask('incident declare P2 Checkout returns 502', { userId: 'U0ALICE' });
    incidentId = (await app.runtime.services.incidents.listOpen()).find((i) => i.title === 'Checkout returns 502')!.id;
  });
  afterAll(async () => app?.stop());

  let seq = 0;
  const share = async (urls: string[], opts: { store?: boolean } = {}) => {
    const ts = `1764652${String(++seq).padStart(3, '0')}.000100`;
    if (opts.store !== false)
      (app.fake.messages.C0OPS ??= []).push({
        ts,
        text: `look: ${urls.map((u) => `<${u}>`).join(' ')}`,
        user: 'U0BOB',
        updates: 0,
      });
    const body = eventBody({
      type: 'link_shared',
      channel: 'C0OPS',
      user: 'U0BOB',
      message_ts: ts,
      links: urls.map((url) => ({ url, domain: new URL(url).host })),
    });
    const res = await postToSlackEndpoint(app.baseUrl, SIGNING_SECRET, body, { contentType: 'application/json' });
    expect(res.status).toBe(200);
    return ts;
  };

  it('unfurls an incident link as the incident card, through chat.unfurl on the shared message', async () => {
    const url = opsbotLink(BASE, 'incident', incidentId);
    const other = 'https://example.org/incidents/1';
    const ts = await share([url, other]);
    const [call] = await app.fake.waitFor((c) => c.method === 'chat.unfurl' && c.args.ts === ts);
    expect(call.response.ok).toBe(true);
    expect(call.args.channel).toBe('C0OPS');
    const unfurls = (
      typeof call.args.unfurls === 'string' ? JSON.parse(call.args.unfurls) : call.args.unfurls
    ) as Record<string, { blocks: unknown[]; color?: string }>;
    expect(Object.keys(unfurls)).toEqual([url]);
    const card = JSON.stringify(unfurls[url].blocks);
    expect(card).toContain(`INC-${incidentId}`);
    expect(card).toContain('Checkout returns 502');
    expect(unfurls[url].color).toMatch(/^#/);
  });

  it('leaves unknown incidents and other links alone; INC-<id> works too', async () => {
    const before = app.fake.callsTo('chat.unfurl').length;
    await share([opsbotLink(BASE, 'incident', 99999), `${BASE}/somewhere/else`]);
    const ts = await share([`${BASE}/incidents/INC-${incidentId}`]);
    await app.fake.waitFor((c) => c.method === 'chat.unfurl' && c.args.ts === ts);
    expect(
      app.fake
        .callsTo('chat.unfurl')
        .slice(before)
        .map((c) => c.args.ts),
    ).toEqual([ts]);
  });

  it('the fake checks chat.unfurl as Slack does', async () => {
    const url = opsbotLink(BASE, 'incident', incidentId);
    const ts = await share([url], { store: true });
    const call = async (args: Record<string, unknown>) => {
      const res = await fetch(`${app.fake.apiUrl}chat.unfurl`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer xoxb-test' },
        body: JSON.stringify(args),
      });
      return (await res.json()) as { ok: boolean; error?: string };
    };
    const good = { [url]: { blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'card' } }] } };
    expect(await call({ channel: 'C0OPS', ts, unfurls: good })).toEqual({ ok: true });
    expect((await call({ channel: 'C0OPS', unfurls: good })).error).toBe('missing_ts');
    expect((await call({ unfurls: good })).error).toBe('missing_channel');
    expect((await call({ channel: 'C0OPS', ts: '1.2', unfurls: good })).error).toBe('cannot_find_message');
    expect((await call({ channel: 'C0OPS', ts, unfurls: { 'https://not.in/message': good[url] } })).error).toBe(
      'cannot_unfurl_message',
    );
    expect((await call({ unfurl_id: 'U1', source: 'elsewhere', unfurls: good })).error).toBe('invalid_source');
    expect((await call({ unfurl_id: 'U1', source: 'composer', unfurls: good })).ok).toBe(true);
    const bad = { [url]: { blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'x' } }] } };
    expect((await call({ channel: 'C0OPS', ts, unfurls: bad })).error).toBe('invalid_blocks');
    app.fake.violations.length = 0; // that rejection was the point of the call, not a bug in the bot
  });

  it('parses only opsbot links under the public URL, and renders an alert card within Block Kit', () => {
    expect(parseOpsbotLink(BASE, `${BASE}/incidents/12`)).toEqual({ kind: 'incident', id: '12' });
    expect(parseOpsbotLink(`${BASE}/ops/`, `${BASE}/ops/alerts/a-7`)).toEqual({ kind: 'alert', id: 'a-7' });
    expect(parseOpsbotLink(BASE, `${BASE}/incidents/12/extra`)).toBeUndefined();
    expect(parseOpsbotLink(BASE, `${BASE}/incidents/abc`)).toBeUndefined();
    expect(parseOpsbotLink(BASE, 'https://evil.example.com/incidents/12')).toBeUndefined();
    expect(parseOpsbotLink(BASE, 'not a url')).toBeUndefined();
    const card = renderAlertUnfurl({
      id: '7',
      title: 'API 5xx',
      severity: 'P1',
      state: 'firing',
      count: 3,
      firstSeen: new Date(Date.now() - 120_000),
      ackedBy: 'U0BOB',
      environment: 'prod',
    } as never);
    expect(card.text).toBe('P1 API 5xx: acknowledged');
    expect(checkMessage({ blocks: card.blocks })).toEqual([]);
  });
});
