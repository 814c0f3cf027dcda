import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { PayloadError, fromSnsNotification, isoTime, parseWebhookPayload } from '../../src/alerts/normalise.js';
import { SnsVerifier, isSnsUrl, stringToSign } from '../../src/alerts/sns-verifier.js';
import { makeSigningCert, signedSnsMessage, TEST_CERT_URL } from '../fixtures/alerts/sns-signer.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/alerts/${name}`, import.meta.url), 'utf8'));
const { config } = parseConfig(
  `
environments:
  prod: { region: us-east-1, alarms: { prefix: expo-project-prod- } }
  staging: { region: eu-west-1 }
`,
  {},
);
const envs = config.environments;

describe('normalising alert payloads', () => {
  it('reads the CloudWatch alarm JSON that SNS carries', () => {
    const sns = {
      ...fixture('sns-notification.json'),
      Message: JSON.stringify(fixture('cloudwatch-alarm-message.json')),
    };
    const [alert] = fromSnsNotification(sns, envs);
    expect(alert).toMatchObject({
      source: 'cloudwatch',
      key: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:expo-project-prod-db-cpu-high',
      title: 'expo-project-prod-db-cpu-high',
      state: 'firing',
      environment: 'prod',
      at: '2024-05-14T10:30:27.123Z',
      metric: {
        namespace: 'AWS/RDS',
        name: 'CPUUtilization',
        threshold: 90,
        comparison: 'GreaterThanThreshold',
        statistic: 'AVERAGE',
        dimensions: { DBInstanceIdentifier: 'expo-project-prod-db' },
      },
    });
    expect(alert.reason).toContain('Threshold Crossed');
    expect(alert.link).toContain('us-east-1.console.aws.amazon.com');
  });

  it('turns OK into resolved and skips INSUFFICIENT_DATA', () => {
    const base = fixture('cloudwatch-alarm-message.json');
    expect(parseWebhookPayload({ ...base, NewStateValue: 'OK' }, envs)[0].state).toBe('resolved');
    expect(parseWebhookPayload({ ...base, NewStateValue: 'INSUFFICIENT_DATA' }, envs)).toEqual([]);
  });

  it('treats a plain-text SNS notification as a generic firing alert titled by its subject', () => {
    const [alert] = fromSnsNotification(fixture('sns-notification.json'), envs);
    expect(alert).toMatchObject({
      source: 'sns',
      title: 'My First Message',
      state: 'firing',
      reason: 'Hello world!',
      at: '2012-05-02T00:54:06.655Z',
    });
  });

  it('reads the EventBridge alarm state change event', () => {
    const [alert] = parseWebhookPayload(fixture('eventbridge-alarm-state-change.json'), envs);
    expect(alert).toMatchObject({
      source: 'cloudwatch',
      title: 'ServerCpuTooHigh',
      state: 'firing',
      environment: 'prod',
      key: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh',
      metric: { namespace: 'AWS/EC2', name: 'CPUUtilization' },
    });
  });

  it('reads Alertmanager v4 webhooks, firing and resolved, with severity from labels', () => {
    const [firing] = parseWebhookPayload(fixture('alertmanager-v4.json'), envs);
    expect(firing).toMatchObject({
      source: 'alertmanager',
      key: 'alertmanager:1a30ba71cca2921f',
      state: 'firing',
      severity: 'P0', // "critical": P0 Critical in the severity table (ESN)
      title: 'ProbeFailure: BlackBox Probe Failure: https://server.example.org',
      at: '2023-02-06T13:08:45.828Z',
    });
    const [resolved] = parseWebhookPayload(fixture('alertmanager-v4-resolved.json'), envs);
    expect(resolved.state).toBe('resolved');
    expect(resolved.key).toContain('alertname=Test');
    expect(resolved.at).toBe('2018-08-03T07:57:26.739Z');
  });

  it('reads the generic format and explains what is wrong with a bad one', () => {
    const [alert] = parseWebhookPayload(fixture('generic.json'), envs);
    expect(alert).toMatchObject({
      key: 'uptime:api-down',
      title: 'API health check failing',
      severity: 'P0', // "critical": P0 Critical in the severity table (ESN)
      state: 'firing',
      link: 'https://status.example.com/checks/api',
    });
    expect(() => parseWebhookPayload({ title: 'x', state: 'sideways' }, envs)).toThrow(PayloadError);
    expect(() => parseWebhookPayload({ hello: 1 }, envs)).toThrow(/unknown payload/);
  });

  it('parses CloudWatch time stamps and ignores the zero time', () => {
    expect(isoTime('2015-06-03T17:43:27.123+0000')).toBe('2015-06-03T17:43:27.123Z');
    const now = new Date('2020-01-01T00:00:00Z');
    expect(isoTime('0001-01-01T00:00:00Z', now)).toBe(now.toISOString());
  });
});

describe('SNS signature verification', () => {
  const cert = makeSigningCert();
  const verifier = new SnsVerifier(async (url) => {
    if (url !== TEST_CERT_URL) throw new Error('unexpected url');
    return cert.certPem;
  });

  it('builds the documented string to sign, Subject only when present', () => {
    expect(stringToSign({ Type: 'Notification', Message: 'm', MessageId: 'id', Timestamp: 't', TopicArn: 'arn' })).toBe(
      'Message\nm\nMessageId\nid\nTimestamp\nt\nTopicArn\narn\nType\nNotification\n',
    );
    expect(
      stringToSign({
        Type: 'SubscriptionConfirmation',
        Message: 'm',
        MessageId: 'id',
        SubscribeURL: 'u',
        Timestamp: 't',
        Token: 'k',
        TopicArn: 'arn',
      }),
    ).toBe(
      'Message\nm\nMessageId\nid\nSubscribeURL\nu\nTimestamp\nt\nToken\nk\nTopicArn\narn\nType\nSubscriptionConfirmation\n',
    );
  });

  it('accepts SignatureVersion 1 and 2 and rejects a tampered message', async () => {
    for (const version of ['1', '2'] as const) {
      const m = signedSnsMessage(cert.keyPem, { Type: 'Notification', Message: 'hello', Subject: 'hi' }, version);
      expect((await verifier.verify(m)).ok).toBe(true);
      expect(await verifier.verify({ ...m, Message: 'hello!' })).toEqual({
        ok: false,
        reason: 'signature does not match',
      });
    }
  });

  it('only trusts certificates from https sns.<region>.amazonaws.com .pem URLs', async () => {
    expect(isSnsUrl('https://sns.eu-west-1.amazonaws.com/x.pem', { pem: true })).toBe(true);
    expect(isSnsUrl('https://sns.cn-north-1.amazonaws.com.cn/x.pem', { pem: true })).toBe(true);
    for (const bad of [
      'http://sns.us-east-1.amazonaws.com/x.pem',
      'https://sns.us-east-1.amazonaws.com.evil.com/x.pem',
      'https://evil.com/sns.us-east-1.amazonaws.com/x.pem',
      'https://sns.us-east-1.amazonaws.com/x.txt',
      'https://sns.us-east-1.amazonaws.com:444/x.pem',
    ]) {
      expect(isSnsUrl(bad, { pem: true }), bad).toBe(false);
    }
    const m = signedSnsMessage(cert.keyPem, {
      Type: 'Notification',
      Message: 'hello',
      SigningCertURL: 'https://evil.example.com/cert.pem',
    });
    const verdict = await verifier.verify(m);
    expect(verdict.ok).toBe(false);
  });
});

describe('severity words (alerts.severityWords)', () => {
  const words = (yaml: string) => parseConfig(`environments:\n  prod: {}\n${yaml}`, {}).config.alerts.severityWords;

  it('are merged over the defaults and reach the webhook parsers', () => {
    const custom = words('alerts: { severityWords: { Sev1: P0, warning: P3 } }');
    expect(custom).toMatchObject({ sev1: 'P0', warning: 'P3', critical: 'P0', high: 'P1' });
    const generic = { title: 'disk', severity: 'sev1', state: 'firing' };
    expect(parseWebhookPayload(generic, envs)[0].severity).toBeUndefined();
    expect(parseWebhookPayload(generic, envs, custom)[0].severity).toBe('P0');
    const am = fixture('alertmanager-v4.json');
    am.alerts[0].labels = { ...am.alerts[0].labels, severity: 'warning' };
    expect(parseWebhookPayload(am, envs)[0].severity).toBe('P2');
    expect(parseWebhookPayload(am, envs, custom)[0].severity).toBe('P3');
    // Synonyms follow the word they stand for: "warn" moves with "warning".
    expect(parseWebhookPayload({ ...generic, severity: 'warn' }, envs, custom)[0].severity).toBe('P3');
  });

  it('must agree with the severity labels', () => {
    const refused = () =>
      parseConfig(
        'environments:\n  prod: {}\nincidents: { severities: { P0: { label: "Outage" }, P1: { label: "Critical — payments" } } }\n',
        {},
      );
    expect(refused).toThrow(/alerts\.severityWords\.critical: "critical" means P0 here, but incidents\.severities\.P1/);
    expect(refused).toThrow(/set alerts\.severityWords\.critical: P1/);
    // SoleMate's numbering with its words: P0 and P1 both "Critical", critical → P1 agrees.
    const solemate = parseConfig(
      `environments:
  prod: {}
incidents:
  severities:
    P1: { respondWithin: 15m, label: "Critical — payment failures" }
    P2: { respondWithin: 1h, label: "High — partial degradation" }
    P3: { respondWithin: 4h, businessHours: true, label: "Medium — performance issues" }
    P4: { respondWithin: 24h, businessHours: true, label: "Low — cosmetic issues" }
alerts:
  severityWords: { critical: P1, high: P2, medium: P3, low: P4 }
`,
      {},
    ).config;
    expect(solemate.alerts.severityWords.critical).toBe('P1');
  });
});
