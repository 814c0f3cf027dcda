import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp } from '../support/test-app.js';
import {
  alarmMessage,
  makeSigningCert,
  signedSnsMessage,
  TEST_CERT_URL,
  TEST_TOPIC,
} from '../fixtures/alerts/sns-signer.js';

const CONFIG = `
environments:
  prod: { region: us-east-1 }
channels: { alerts: C0ALERTS }
alerts:
  snsTopics: ["${TEST_TOPIC}"]
  groupWindow: 1s
  sweepEvery: 1s
`;

describe('SNS endpoint', () => {
  const cert = makeSigningCert();
  const fetched: string[] = [];
  const confirmed: string[] = [];
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start({
      configYaml: CONFIG,
      alertHooks: {
        fetchCert: async (url) => {
          fetched.push(url);
          return cert.certPem;
        },
        confirmSubscription: async (url) => {
          confirmed.push(url);
        },
      },
    });
  });
  afterAll(async () => app?.stop());

  const post = (body: unknown) =>
    fetch(`${app.baseUrl}/alerts/sns`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=UTF-8' },
      body: JSON.stringify(body),
    });
  const postsMentioning = (text: string) =>
    app.fake.callsTo('chat.postMessage').filter((c) => JSON.stringify(c.args).includes(text));
  /** Sends a good alarm after refused ones and waits until Slack shows it: a refused one would have shown by then. */
  const shownAfterwards = async (alarmName: string) => {
    expect(
      (await post(signedSnsMessage(cert.keyPem, { Type: 'Notification', Message: alarmMessage(alarmName, 'ALARM') })))
        .status,
    ).toBe(202);
    await app.fake.waitFor(
      (c) => c.method.startsWith('chat.') && c.status === 200 && JSON.stringify(c.args).includes(alarmName),
      { timeoutMs: 10_000 },
    );
  };

  it('accepts a signed CloudWatch alarm (SignatureVersion 2), posts it, and turns it green when it resolves', async () => {
    const res = await post(
      signedSnsMessage(
        cert.keyPem,
        { Type: 'Notification', Subject: 'ALARM: "prod-db-cpu"', Message: alarmMessage('prod-db-cpu', 'ALARM') },
        '2',
      ),
    );
    expect(res.status).toBe(202);
    const [call] = await app.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && JSON.stringify(c.args).includes('prod-db-cpu'),
      { timeoutMs: 10_000 },
    );
    expect(call.args.channel).toBe('C0ALERTS');
    // No severity in the alarm or its route: the name pattern *-db-cpu* makes it P1 (Expo's critical DB CPU alert), red.
    expect(JSON.stringify(call.args.attachments)).toContain('#E01E5A');
    expect(fetched).toEqual([TEST_CERT_URL]);

    expect(
      (
        await post(
          signedSnsMessage(cert.keyPem, { Type: 'Notification', Message: alarmMessage('prod-db-cpu', 'OK') }, '1'),
        )
      ).status,
    ).toBe(202);
    await app.fake.waitFor(
      (c) => c.method === 'chat.update' && c.args.ts === call.response.ts && JSON.stringify(c.args).includes('#2EB67D'),
      { timeoutMs: 10_000 },
    );
    expect(fetched).toHaveLength(1); // the certificate is cached
  });

  it('rejects a tampered message with 403, logs it, and posts nothing', async () => {
    const m = signedSnsMessage(cert.keyPem, { Type: 'Notification', Message: alarmMessage('tampered-alarm', 'ALARM') });
    const res = await post({ ...m, Message: m.Message.replace('tampered-alarm', 'tampered-alarm-2') });
    expect(res.status).toBe(403);
    expect(app.logs.text()).toContain('signature does not match');
    await shownAfterwards('good-alarm-1');
    expect(postsMentioning('tampered-alarm')).toHaveLength(0);
  });

  it('rejects a certificate that is not on an SNS host, and topics not in alerts.snsTopics', async () => {
    const wrongHost = signedSnsMessage(cert.keyPem, {
      Type: 'Notification',
      Message: alarmMessage('wrong-host-alarm', 'ALARM'),
      SigningCertURL: 'https://sns.us-east-1.amazonaws.com.evil.example/cert.pem',
    });
    expect((await post(wrongHost)).status).toBe(403);
    expect(fetched.some((u) => u.includes('evil'))).toBe(false);
    const otherTopic = signedSnsMessage(cert.keyPem, {
      Type: 'Notification',
      Message: alarmMessage('other-topic-alarm', 'ALARM'),
      TopicArn: 'arn:aws:sns:us-east-1:999999999999:someone-else',
    });
    expect((await post(otherTopic)).status).toBe(403);
    expect((await fetch(`${app.baseUrl}/alerts/sns`, { method: 'POST', body: 'not json' })).status).toBe(400);
    await shownAfterwards('good-alarm-2');
    expect(postsMentioning('wrong-host-alarm')).toHaveLength(0);
    expect(postsMentioning('other-topic-alarm')).toHaveLength(0);
  });

  it('confirms subscriptions only for listed topics', async () => {
    const subscribeUrl = `https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TEST_TOPIC}&Token=abc`;
    const ok = signedSnsMessage(cert.keyPem, {
      Type: 'SubscriptionConfirmation',
      Message: 'You have chosen to subscribe',
      SubscribeURL: subscribeUrl,
      Token: 'abc',
    });
    expect((await post(ok)).status).toBe(200);
    expect(confirmed).toEqual([subscribeUrl]);
    const stranger = signedSnsMessage(cert.keyPem, {
      Type: 'SubscriptionConfirmation',
      Message: 'x',
      SubscribeURL: subscribeUrl,
      Token: 'abc',
      TopicArn: 'arn:aws:sns:us-east-1:1:other',
    });
    expect((await post(stranger)).status).toBe(403);
    const unsigned = { ...ok, Token: 'changed' };
    expect((await post(unsigned)).status).toBe(403);
    expect(confirmed).toHaveLength(1);
    const unsub = signedSnsMessage(cert.keyPem, {
      Type: 'UnsubscribeConfirmation',
      Message: 'unsubscribed',
      SubscribeURL: subscribeUrl,
      Token: 'abc',
    });
    expect((await post(unsub)).status).toBe(200);
  });
});
