// The demo as a newcomer meets it: the whole stack from `npm run demo` (embedded
// Postgres, redis-server, simulated AWS, playground), driven by a real headless
// Chromium. Saves test/artifacts/playground.png.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startDemo, type Demo } from '../../src/sandbox/launch.js';
import { freePort } from '../../src/sandbox/ports.js';
import { watchFakeSlack } from '../support/fake-slack.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;

describe.skipIf(!existsSync(CHROMIUM))('playground in a browser', () => {
  let demo: Demo;
  let context: BrowserContext;
  let page: Page;
  let profile: string;

  beforeAll(async () => {
    // The demo's own services, as on a fresh machine (no DATABASE_URL / REDIS_URL).
    demo = await startDemo({ port: await freePort(), timeScale: 0.3, latencyMs: 20, logLevel: 'error' });
    watchFakeSlack(demo.fake); // what the playground shows must also pass Slack's Block Kit rules
    profile = mkdtempSync(join(tmpdir(), 'opsbot-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 860 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('dialog', (d) => void d.accept());
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await demo?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  }, 60_000);

  const messages = () => page.locator('#messages');
  async function type(text: string): Promise<void> {
    await page.fill('#input', text);
    await page.press('#input', 'Enter');
  }

  it('runs /ops health, and a rollback requested by Alice and approved by Bob', async () => {
    try {
      await scenario();
    } finally {
      // Also on failure: the picture says more than the timeout.
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'playground.png') }).catch(() => undefined);
    }
  }, 150_000);

  async function scenario(): Promise<void> {
    await page.goto(`${demo.url}/playground?user=U0ALICE&channel=C0OPS`);
    // Page-side expressions as strings: this file is type-checked without the DOM lib.
    await page.waitForFunction(`document.getElementById('channel-name')?.textContent === '# ops'`);
    await page.waitForSelector('#channels a >> text=# alerts');

    await type('/ops health');
    await messages()
      .getByText(/checks pass|healthy|unhealthy|degraded/i)
      .first()
      .waitFor({ timeout: 30_000 });

    await type('/ops rollback');
    const card = page.locator('.msg', { hasText: 'Approval needed' }).last();
    await card.waitFor({ timeout: 30_000 });
    expect(await card.textContent()).toContain('v1.43.0');

    // Approvals need a second person: switch the acting user to Bob and press Approve.
    await page.selectOption('#user', 'U0BOB');
    await page.waitForFunction(`document.getElementById('user').value === 'U0BOB'`);
    await page.locator('.msg', { hasText: 'Approval needed' }).last().getByRole('button', { name: 'Approve' }).click();

    // The job's message is updated in place until the rollback is done.
    await page
      .locator('.msg', { hasText: /Rollback/ })
      .filter({ hasNotText: 'Approval' })
      .last()
      .waitFor({ timeout: 30_000 });
    const finished = page.locator('.msg', { hasText: /Rollback of [\s\S]*is done/ }).last();
    await finished.waitFor({ timeout: 60_000 });
    expect(await finished.textContent()).toContain('v1.42.1');
    await page.waitForFunction(`document.getElementById('fleet')?.textContent?.includes('v1.42.1')`);
    expect(demo.aws.fleet.eb.version).toBe('v1.42.1');
  }

  /** Every block type in what the bot sent the playground's fake Slack (messages, updates, response_url). */
  function sentBlockTypes(): Set<string> {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const bodies: any[] = [
      ...demo.fake.calls.filter((c) => c.method.startsWith('chat.')).map((c) => c.args),
      ...demo.fake.responses.map((r) => r.body),
    ];
    return blockTypesOf(bodies);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  function blockTypesOf(bodies: any[]): Set<string> {
    const types = new Set<string>();
    for (const b of bodies) {
      if (!b || typeof b !== 'object') continue;
      for (const block of [
        ...(b.blocks ?? []),
        ...(b.attachments ?? []).flatMap((a: { blocks?: [] }) => a.blocks ?? []),
      ])
        if (block?.type) types.add(String(block.type));
    }
    return types;
  }

  it('renders every block type the bot sends, tables included, without a "not supported" placeholder', async () => {
    await page.selectOption('#user', 'U0ALICE');
    await page.waitForFunction(`document.getElementById('user').value === 'U0ALICE'`);
    await type('/ops db tables prod');
    await messages().locator('table.block.table').first().waitFor({ timeout: 30_000 });
    await type('/ops deploy history prod');
    await messages().locator('.msg', { hasText: 'deploy history' }).last().waitFor({ timeout: 30_000 });
    await type('/ops help');
    await messages().getByText('opsbot commands').last().waitFor({ timeout: 30_000 });
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'playground-blocks.png') }).catch(() => undefined);

    const sent = sentBlockTypes();
    expect([...sent]).toEqual(expect.arrayContaining(['header', 'section', 'context', 'actions', 'table']));
    // Each type sent is drawn by its own renderer: none falls through to the placeholder.
    expect(await page.locator('#messages .unsupported').count()).toBe(0);
    // Each type in a message as it stands now (updates replace earlier blocks) is on the page.
    const current = blockTypesOf(Object.values(demo.fake.messages).flat());
    for (const type of ['header', 'section', 'context', 'divider', 'actions', 'table'].filter((t) => current.has(t)))
      expect(await messages().locator(`.block.${type}`).count(), `${type} blocks drawn`).toBeGreaterThan(0);
    // The table reads as one: a header row of column names, then the rows, as Slack shows them.
    const table = messages().locator('table.block.table').first();
    expect(await table.locator('th').first().textContent()).toBe('table');
    expect(await table.locator('tr').count()).toBeGreaterThan(1);
  }, 120_000);
});

// A browser-free reminder when Chromium is missing, so a skipped run is visible.
if (!existsSync(CHROMIUM)) {
  it.skip(`needs Debian's chromium at ${CHROMIUM} (.ci/run installs it)`, () => undefined);
}
