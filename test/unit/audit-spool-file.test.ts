import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditSpoolFile } from '../../src/store/audit-spool-file.js';
import { SpoolingAuditTrail } from '../../src/store/audit-spool.js';
import type { AuditEntry, AuditTrail } from '../../src/store/audit.js';
import { waitUntil } from '../support/wait.js';

const entry = (text: string): AuditEntry => ({ actorId: 'U1', source: 'slack', text, outcome: 'ok' });
const path = () => join(mkdtempSync(join(tmpdir(), 'opsbot-spool-unit-')), 'spool.jsonl');
const failing: AuditTrail = { record: () => Promise.reject(new Error('down')), recent: async () => [] };

describe('AuditSpoolFile', () => {
  it('keeps spooled rows redacted on disk and hands them, minus those done and a cut-short line, to the next process', async () => {
    const file = path();
    const trail = new SpoolingAuditTrail(failing, { waitMs: 10, retryMs: 60_000, file: new AuditSpoolFile(file) });
    await trail.record(entry('db query postgres://u:pw-not-on-disk@h/db'));
    await trail.record(entry('second'));
    trail.stop();
    expect(readFileSync(file, 'utf8')).not.toContain('pw-not-on-disk');
    const [firstId] = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { spoolId: string }).spoolId);
    appendFileSync(file, `${JSON.stringify({ done: firstId })}\n{"spoolId":"cut-sh`);

    const written: AuditEntry[] = [];
    const next = new SpoolingAuditTrail(
      { record: async (e) => void written.push(e), recent: async () => [] },
      { file: new AuditSpoolFile(file) },
    );
    expect(next.replayed).toBe(1);
    // The replay starts by itself when the trail is built.
    await waitUntil('the replayed row written', () => next.backlog === 0);
    expect(written.map((e) => e.text)).toEqual(['second']);
    expect(readFileSync(file, 'utf8')).toBe('');
    next.stop();
    expect(existsSync(file)).toBe(false);
  });

  it('leaves a file locked by another live process alone and spools in memory', async () => {
    const file = path();
    writeFileSync(`${file}.lock`, String(process.ppid));
    const problems: string[] = [];
    const trail = new SpoolingAuditTrail(failing, {
      waitMs: 10,
      retryMs: 60_000,
      file: new AuditSpoolFile(file, (m) => problems.push(m)),
    });
    await trail.record(entry('kept in memory'));
    expect(trail.backlog).toBe(1);
    expect(existsSync(file)).toBe(false);
    expect(problems.join()).toContain('used by another live process');
    trail.stop();
  });
});
