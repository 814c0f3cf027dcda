import { describe, expect, it } from 'vitest';
import { redactDeep, redactSecrets } from '../../src/redact.js';
import { createLogger } from '../../src/log.js';
import { LogCapture } from '../support/test-app.js';

describe('redactSecrets', () => {
  it('masks passwords in connection URLs but keeps user and host', () => {
    expect(redactSecrets('connect postgres://app:hunter2@db.internal:5432/prod failed')).toBe(
      'connect postgres://app:***@db.internal:5432/prod failed',
    );
    expect(redactSecrets('rediss://:t0ken@cache:6379')).toBe('rediss://:***@cache:6379');
  });

  it('masks Slack and AWS tokens and bearer headers', () => {
    expect(redactSecrets('xoxb-1234-5678-abcdef')).toBe('xox*-***');
    expect(redactSecrets('xapp-1-A0-123-abc')).toBe('xapp-***');
    expect(redactSecrets('key AKIAABCDEFGHIJKLMNOP')).toBe('key AKIA***');
    expect(redactSecrets('Authorization: Bearer abc.def.ghi')).toBe('Authorization: Bearer ***');
    expect(redactSecrets('https://x/?token=abc&a=1')).toBe('https://x/?token=***&a=1');
  });

  it('leaves ordinary text alone', () => {
    expect(redactSecrets('https://api.example.com/health returned 503')).toBe(
      'https://api.example.com/health returned 503',
    );
  });

  it('walks nested objects', () => {
    expect(redactDeep({ a: ['postgres://u:p@h/d'], b: { c: 'xoxb-1-2' } })).toEqual({
      a: ['postgres://u:***@h/d'],
      b: { c: 'xox*-***' },
    });
  });
});

describe('logger', () => {
  it('never writes a secret, whether in a message, a field or an error', () => {
    const capture = new LogCapture();
    const log = createLogger('info', capture);
    log.info({ url: 'postgres://u:pw123@h/d', token: 'xoxb-9-9' }, 'connecting to postgres://u:pw123@h/d');
    log.error({ err: new Error('auth failed for redis://:pw123@h') }, 'boom');
    const text = capture.text();
    expect(text).not.toContain('pw123');
    expect(text).not.toContain('xoxb-9-9');
    expect(text).toContain('postgres://u:***@h/d');
  });
});
