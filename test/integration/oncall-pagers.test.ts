import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpsgenie, startFakePagerDuty, type FakePager } from '../support/fake-pagers.js';
import { PagerDutyPager } from '../../src/oncall/pagers/pagerduty.js';
import { OpsgeniePager } from '../../src/oncall/pagers/opsgenie.js';
import { PagerError, pagersFromConfig } from '../../src/oncall/pagers/index.js';
import { oncallSchema } from '../../src/config/oncall-schema.js';

const ROUTING_KEY = 'R0123456789abcdef0123456789abcde'; // 32 characters, as PagerDuty's are
const GENIE_KEY = 'eb243592-faa2-4ba2-a551q-1afdf565c889';
const pauses: number[] = [];
const sleep = async (ms: number) => void pauses.push(ms);
const notice = {
  dedupKey: 'opsbot-incident-42',
  summary: 'API down in prod',
  severity: 'P1' as const,
  details: { env: 'prod' },
};

let pd: FakePager;
let og: FakePager;
beforeAll(async () => {
  [pd, og] = await Promise.all([startFakePagerDuty(ROUTING_KEY), startFakeOpsgenie(GENIE_KEY)]);
});
afterAll(async () => {
  await Promise.all([pd?.close(), og?.close()]);
});

const pagerDuty = (over: Partial<ConstructorParameters<typeof PagerDutyPager>[0]> = {}) =>
  new PagerDutyPager({
    routingKey: ROUTING_KEY,
    baseUrl: pd.url,
    source: 'opsbot',
    severities: ['P0', 'P1'],
    timeoutMs: 2000,
    retries: 2,
    backoffMs: 10,
    sleep,
    ...over,
  });

describe('PagerDuty Events API v2 (fake)', () => {
  it('triggers with routing_key, dedup_key and payload {summary, source, severity}, then acknowledges and resolves', async () => {
    const pager = pagerDuty();
    const receipt = await pager.trigger(notice);
    expect(receipt).toMatchObject({ pager: 'PagerDuty', status: 202, dedupKey: 'opsbot-incident-42', attempts: 1 });
    expect(pd.requests.at(-1)!.body).toMatchObject({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: 'opsbot-incident-42',
      payload: {
        summary: 'API down in prod',
        source: 'opsbot',
        severity: 'critical',
        custom_details: { env: 'prod', opsbot_severity: 'P1' },
      },
    });
    expect((await pager.acknowledge('opsbot-incident-42')).status).toBe(202);
    expect((await pager.resolve('opsbot-incident-42')).status).toBe(202);
    expect(pd.requests.slice(-2).map((r) => r.body)).toEqual([
      { routing_key: ROUTING_KEY, event_action: 'acknowledge', dedup_key: 'opsbot-incident-42' },
      { routing_key: ROUTING_KEY, event_action: 'resolve', dedup_key: 'opsbot-incident-42' },
    ]);
    expect(pager.handles('P1')).toBe(true);
    expect(pager.handles('P3')).toBe(false);
  });

  it('a 400 invalid event is final and says what PagerDuty said', async () => {
    const before = pd.requests.length;
    const err = await pagerDuty({ routingKey: 'short' })
      .trigger(notice)
      .catch((e) => e);
    expect(err).toBeInstanceOf(PagerError);
    expect(err).toMatchObject({ status: 400, retryable: false, attempts: 1 });
    expect(err.message).toBe(
      "PagerDuty refused the event (HTTP 400: Event object is invalid: Length of 'routing_key' is incorrect (should be 32 characters))",
    );
    expect(pd.requests.length - before).toBe(1);
  });

  it('retries 429 and 5xx with backoff (honouring Retry-After) and succeeds', async () => {
    pauses.length = 0;
    pd.script(
      {
        status: 429,
        body: { status: 'throttle event', message: 'Requests for this service are arriving too quickly.' },
        headers: { 'retry-after': '1' },
      },
      { status: 502 },
    );
    const receipt = await pagerDuty().trigger(notice);
    expect(receipt).toMatchObject({ status: 202, attempts: 3 });
    expect(pauses).toEqual([1000, 20]);
  });

  it('gives up after the retries with a clear error when PagerDuty keeps failing or never answers', async () => {
    pd.script({ status: 500 }, { status: 503 }, { status: 500 });
    const down = await pagerDuty()
      .trigger(notice)
      .catch((e) => e);
    expect(down).toMatchObject({ status: 500, retryable: true, attempts: 3 });
    expect(down.message).toBe('PagerDuty is not taking events (HTTP 500: no details) after 3 attempts');
    pd.script('hang');
    const slow = await pagerDuty({ retries: 0, timeoutMs: 200 })
      .trigger(notice)
      .catch((e) => e);
    expect(slow.message).toBe('PagerDuty is not taking events (no answer within 200 ms) after 1 attempt');
  });

  it('says so when nothing listens at the configured URL', async () => {
    const err = await pagerDuty({ baseUrl: 'http://127.0.0.1:9', retries: 1 })
      .trigger(notice)
      .catch((e) => e);
    expect(err.message).toMatch(
      /^PagerDuty is not taking events \(cannot reach 127\.0\.0\.1:9: .*\) after 2 attempts$/,
    );
  });
});

const opsgenie = (over: Partial<ConstructorParameters<typeof OpsgeniePager>[0]> = {}) =>
  new OpsgeniePager({
    apiKey: GENIE_KEY,
    baseUrl: og.url,
    source: 'opsbot',
    tags: ['opsbot'],
    severities: ['P0', 'P1', 'P2'],
    timeoutMs: 2000,
    retries: 2,
    backoffMs: 10,
    sleep,
    ...over,
  });

describe('Opsgenie / JSM Alert API (fake)', () => {
  it('creates an alert with the alias as dedup key and GenieKey auth, then acknowledges and closes it by alias', async () => {
    const pager = opsgenie();
    const receipt = await pager.trigger(notice);
    expect(receipt).toMatchObject({ pager: 'Opsgenie', status: 202, requestId: expect.any(String) });
    const created = og.requests.at(-1)!;
    expect(created).toMatchObject({
      method: 'POST',
      path: '/v2/alerts',
      headers: expect.objectContaining({ authorization: `GenieKey ${GENIE_KEY}` }),
    });
    expect(created.body).toEqual({
      message: 'API down in prod',
      alias: 'opsbot-incident-42',
      priority: 'P2',
      source: 'opsbot',
      tags: ['opsbot'],
      details: { env: 'prod' },
    });
    await pager.acknowledge('opsbot-incident-42', 'U0ALICE');
    await pager.resolve('opsbot-incident-42', 'U0ALICE');
    expect(og.requests.slice(-2).map((r) => [r.path, (r.body as { user?: string }).user])).toEqual([
      ['/v2/alerts/opsbot-incident-42/acknowledge?identifierType=alias', 'U0ALICE'],
      ['/v2/alerts/opsbot-incident-42/close?identifierType=alias', 'U0ALICE'],
    ]);
  });

  it('a wrong key is a 401, said plainly and not retried', async () => {
    const err = await opsgenie({ apiKey: 'wrong' })
      .trigger(notice)
      .catch((e) => e);
    expect(err).toMatchObject({ status: 401, retryable: false, attempts: 1 });
    expect(err.message).toBe('Opsgenie refused the event (HTTP 401: Could not authenticate)');
  });

  it('a 422 names the field Opsgenie complained about', async () => {
    const err = await opsgenie()
      .trigger({ ...notice, summary: '' })
      .catch((e) => e);
    expect(err.message).toBe(
      'Opsgenie refused the event (HTTP 422: Request body is not processable. Please check the errors.: Message can not be empty.)',
    );
  });

  it('retries 429 and 503, then succeeds', async () => {
    og.script({ status: 429, body: { message: 'Rate limit exceeded', took: 0, requestId: 'x' } }, { status: 503 });
    expect(await opsgenie().trigger(notice)).toMatchObject({ status: 202, attempts: 3 });
  });
});

describe('pagers from ops.yml', () => {
  it('builds the configured pagers with their base URLs, and names JSM by its URL', async () => {
    const oncall = oncallSchema.parse({
      schedules: { platform: { layers: { primary: { members: ['U0ALICE'] } } } },
      pagers: {
        pagerduty: { routingKey: ROUTING_KEY, baseUrl: pd.url, timeout: '2s' },
        opsgenie: { apiKey: GENIE_KEY, baseUrl: 'https://api.atlassian.com/jsm/ops/integration' },
      },
    });
    const pagers = pagersFromConfig(oncall.pagers, { sleep });
    expect(pagers.map((p) => p.name)).toEqual(['PagerDuty', 'Jira Service Management']);
    expect(await pagers[0].trigger(notice)).toMatchObject({ status: 202 });
  });
});
