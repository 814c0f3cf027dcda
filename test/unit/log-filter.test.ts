import { describe, expect, it } from 'vitest';
import { isErrorLine, matchesPattern } from '../../src/log-filter.js';
import { demultiplex, parseLogs } from '../../src/docker/logs.js';

describe('--errors filter', () => {
  it('reads JSON level fields by name and pino number', () => {
    expect(isErrorLine('{"level":"error","msg":"x"}')).toBe(true);
    expect(isErrorLine('{"level":"FATAL"}')).toBe(true);
    expect(isErrorLine('{"level":50}')).toBe(true);
    expect(isErrorLine('{"level":30,"msg":"ERROR in text but level says info"}')).toBe(false);
    expect(isErrorLine('{"level":"info"}')).toBe(false);
  });

  it('reads logfmt levels and upper-case ERROR words in plain lines', () => {
    expect(isErrorLine('time=1 level=error msg="db down"')).toBe(true);
    expect(isErrorLine('level=info msg="an ERROR word"')).toBe(false);
    expect(isErrorLine('2025-01-23 ERROR payment failed')).toBe(true);
    expect(isErrorLine('no errors today')).toBe(false);
    expect(isErrorLine('{not json ERROR')).toBe(true);
  });

  it('matches patterns case-insensitively', () => {
    expect(matchesPattern('Payment FAILED', 'failed')).toBe(true);
    expect(matchesPattern('ok', undefined)).toBe(true);
    expect(matchesPattern('ok', 'nope')).toBe(false);
  });
});

describe('Docker log frames', () => {
  const frame = (kind: number, text: string) => {
    const payload = Buffer.from(text);
    const header = Buffer.alloc(8);
    header[0] = kind;
    header.writeUInt32BE(payload.length, 4);
    return Buffer.concat([header, payload]);
  };

  it('splits stdout and stderr frames and strips the timestamps', () => {
    const raw = Buffer.concat([
      frame(1, '2026-12-01T10:00:00.123456789Z hello\n'),
      frame(2, '2026-12-01T10:00:01Z ERROR boom\n'),
    ]);
    expect(demultiplex(raw, false).map((f) => f.stream)).toEqual(['stdout', 'stderr']);
    expect(parseLogs(raw, 'esn-api-1', false)).toEqual([
      { container: 'esn-api-1', stream: 'stdout', time: new Date('2026-12-01T10:00:00.123Z'), text: 'hello' },
      { container: 'esn-api-1', stream: 'stderr', time: new Date('2026-12-01T10:00:01Z'), text: 'ERROR boom' },
    ]);
  });

  it('reads a TTY container as one raw stream', () => {
    expect(parseLogs(Buffer.from('2026-12-01T10:00:00Z one\r\ntwo\r\n'), 'c', true).map((l) => l.text)).toEqual([
      'one',
      'two',
    ]);
  });
});
