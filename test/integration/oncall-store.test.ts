import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { createPool, type Pool } from '../../src/store/pool.js';
import { migrate } from '../../src/store/migrate.js';
import { createLogger } from '../../src/log.js';
import { OverrideRepository } from '../../src/store/oncall-overrides.js';
import { PageRepository } from '../../src/store/oncall-pages.js';
import { SwapRepository } from '../../src/store/oncall-swaps.js';

const at = (iso: string) => new Date(iso);
const hour = 3_600_000;
let db: TestDatabase;
let pool: Pool;
let overrides: OverrideRepository;
let pages: PageRepository;
let swaps: SwapRepository;

beforeAll(async () => {
  db = await createTestDatabase('opsbot_oncall');
  await migrate(db.url, createLogger('silent'));
  pool = createPool(db.url);
  overrides = new OverrideRepository(pool);
  pages = new PageRepository(pool);
  swaps = new SwapRepository(pool);
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe('overrides (Postgres)', () => {
  const christmas = {
    schedule: 'platform',
    layer: 'primary',
    userId: 'UDAVE',
    start: at('2030-12-24T08:00:00Z'),
    end: at('2030-12-27T08:00:00Z'),
    createdBy: 'UALICE',
  };

  it('stores one, lists it, and refuses an overlap on the same layer naming the one in the way', async () => {
    const first = await overrides.create({ ...christmas, reason: 'holiday cover' });
    expect(first.ok).toBe(true);
    const clash = await overrides.create({
      ...christmas,
      userId: 'UERIN',
      start: at('2030-12-26T08:00:00Z'),
      end: at('2030-12-28T08:00:00Z'),
    });
    expect(clash.ok).toBe(false);
    if (first.ok && !clash.ok) expect(clash.reason).toContain(`override ${first.override.id} on primary: <@UDAVE>`);
    const list = await overrides.list('platform', at('2030-12-01T00:00:00Z'));
    expect(list.map((o) => [o.userId, o.reason])).toEqual([['UDAVE', 'holiday cover']]);
  });

  it('allows back-to-back overrides and the same time on another layer or schedule', async () => {
    expect(
      (await overrides.create({ ...christmas, userId: 'UERIN', start: christmas.end, end: at('2030-12-28T08:00:00Z') }))
        .ok,
    ).toBe(true);
    expect((await overrides.create({ ...christmas, layer: 'secondary' })).ok).toBe(true);
    expect((await overrides.create({ ...christmas, schedule: 'data' })).ok).toBe(true);
  });

  it('two replicas inserting overlapping overrides at once: one wins, the other gets the reason', async () => {
    const slot = { ...christmas, layer: 'race', start: at('2031-01-01T00:00:00Z'), end: at('2031-01-02T00:00:00Z') };
    const results = await Promise.all([overrides.create(slot), overrides.create({ ...slot, userId: 'UERIN' })]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ reason: expect.stringContaining('overlaps override') });
  });

  it('removing frees the time, once', async () => {
    const created = await overrides.create({ ...christmas, layer: 'removable' });
    if (!created.ok) throw new Error(created.reason);
    expect(await overrides.remove(created.override.id, 'UALICE')).toMatchObject({ id: created.override.id });
    expect(await overrides.remove(created.override.id, 'UALICE')).toBeUndefined();
    expect((await overrides.create({ ...christmas, layer: 'removable', userId: 'UERIN' })).ok).toBe(true);
    expect(await overrides.remove('nonsense', 'UALICE')).toBeUndefined();
  });
});

describe('swap requests (Postgres)', () => {
  const swapInput = (layer: string) => ({
    schedule: 'platform',
    layer,
    requesterId: 'UALICE',
    otherId: 'UBOB',
    give: { start: at('2031-02-03T08:00:00Z'), end: at('2031-02-10T08:00:00Z') },
    take: { start: at('2031-02-10T08:00:00Z'), end: at('2031-02-17T08:00:00Z') },
    expiresAt: new Date(Date.now() + hour),
  });

  it('stays pending until the other person agrees, then becomes two overrides, once', async () => {
    const swap = await swaps.requestSwap(swapInput('swap1'));
    expect(swap.status).toBe('pending');
    expect(await swaps.pendingSwapsFor('UBOB')).toEqual([expect.objectContaining({ id: swap.id })]);
    expect(await swaps.acceptSwap(swap.id, 'UALICE')).toEqual({
      ok: false,
      reason: `only <@UBOB> can accept swap request ${swap.id}`,
    });
    const accepted = await swaps.acceptSwap(swap.id, 'UBOB');
    expect(accepted.ok).toBe(true);
    if (accepted.ok) {
      expect(accepted.overrides.map((o) => [o.userId, o.start.toISOString(), o.swapId])).toEqual([
        ['UBOB', '2031-02-03T08:00:00.000Z', swap.id],
        ['UALICE', '2031-02-10T08:00:00.000Z', swap.id],
      ]);
    }
    expect(await swaps.acceptSwap(swap.id, 'UBOB')).toEqual({
      ok: false,
      reason: `swap request ${swap.id} is already accepted`,
    });
  });

  it('can be declined by the other person or cancelled by the requester, not the other way round', async () => {
    const a = await swaps.requestSwap(swapInput('swap2'));
    expect(await swaps.closeSwap(a.id, 'UALICE', 'declined')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('only <@UBOB>'),
    });
    expect(await swaps.closeSwap(a.id, 'UBOB', 'declined')).toMatchObject({
      ok: true,
      swap: { status: 'declined' },
    });
    const b = await swaps.requestSwap(swapInput('swap2'));
    expect(await swaps.closeSwap(b.id, 'UALICE', 'cancelled')).toMatchObject({
      ok: true,
      swap: { status: 'cancelled' },
    });
  });

  it('fails with the reason, and keeps nothing, when an override took one of the shifts meanwhile', async () => {
    const swap = await swaps.requestSwap(swapInput('swap3'));
    await overrides.create({
      schedule: 'platform',
      layer: 'swap3',
      userId: 'UDAVE',
      start: at('2031-02-12T08:00:00Z'),
      end: at('2031-02-13T08:00:00Z'),
      createdBy: 'UDAVE',
    });
    const result = await swaps.acceptSwap(swap.id, 'UBOB');
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('<@UDAVE>') });
    expect((await swaps.getSwap(swap.id))?.status).toBe('failed');
    const live = await overrides.list('platform', at('2031-01-01T00:00:00Z'));
    expect(live.filter((o) => o.layer === 'swap3').map((o) => o.userId)).toEqual(['UDAVE']);
  });

  it('expires when nobody answers, claimed once', async () => {
    const swap = await swaps.requestSwap({ ...swapInput('swap4'), expiresAt: new Date(Date.now() - 1000) });
    expect(await swaps.acceptSwap(swap.id, 'UBOB')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('expired'),
    });
    const claimed = await swaps.expireSwaps();
    expect(claimed.map((s) => s.id)).toContain(swap.id);
    expect((await swaps.expireSwaps()).map((s) => s.id)).not.toContain(swap.id);
  });
});

describe('pages and escalation state (Postgres)', () => {
  const input = (key: string) => ({
    key,
    subjectKind: 'incident' as const,
    subjectId: key.split(':')[1],
    severity: 'P1',
    schedule: 'platform',
    summary: 'API down',
    startedAt: new Date(),
  });

  it('opens one live page per subject, even when two replicas open it at once', async () => {
    const [a, b] = await Promise.all([pages.open(input('incident:1')), pages.open(input('incident:1'))]);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(a.page.id).toBe(b.page.id);
  });

  it('a firing is claimed once per generation: a stale or duplicate timer does nothing', async () => {
    const { page } = await pages.open(input('incident:2'));
    expect(page).toMatchObject({ generation: 0, fired: 0, status: 'open' });
    const next = new Date(Date.now() + 5 * 60_000);
    const results = await Promise.all([
      pages.claimFiring(page.id, 0, { seq: 0, userIds: ['UALICE'], nextFireAt: next }),
      pages.claimFiring(page.id, 0, { seq: 0, userIds: ['UALICE'], nextFireAt: next }),
    ]);
    const won = results.filter(Boolean);
    expect(won).toHaveLength(1);
    expect(won[0]).toMatchObject({ generation: 1, fired: 1, nextFireAt: next });
    expect(await pages.claimFiring(page.id, 0, { seq: 1, userIds: ['UBOB'] })).toBeUndefined();
    expect(await pages.claimFiring(page.id, 1, { seq: 1, userIds: ['UBOB'] })).toMatchObject({
      generation: 2,
      fired: 2,
    });
    const events = await pages.events(page.id);
    expect(events.map((e) => [e.kind, e.seq, e.userIds])).toEqual([
      ['paged', 0, ['UALICE']],
      ['paged', 1, ['UBOB']],
    ]);
  });

  it('acknowledgement stops the chain at once and records the time to acknowledge', async () => {
    const { page } = await pages.open(input('incident:3'));
    await pages.claimFiring(page.id, 0, { seq: 0, userIds: ['UALICE'], nextFireAt: new Date(Date.now() + 60_000) });
    const acked = await pages.acknowledgeSubject('incident', '3', 'UALICE');
    expect(acked?.page).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: 'UALICE',
      generation: 2,
      nextFireAt: undefined,
    });
    expect(acked!.timeToAckMs).toBeGreaterThanOrEqual(0);
    expect(await pages.claimFiring(page.id, 1, { seq: 1, userIds: ['UBOB'] })).toBeUndefined();
    expect(await pages.acknowledge(page.id, 'UBOB')).toBeUndefined();
    expect((await pages.open(input('incident:3'))).created).toBe(false);
    expect(await pages.resolveSubject('incident', '3', 'UALICE')).toMatchObject({ page: { status: 'resolved' } });
    expect((await pages.open(input('incident:3'))).created).toBe(true);
  });

  it('due pages are found by the sweep; exhausted only by the current generation', async () => {
    const { page } = await pages.open({ ...input('incident:4'), startedAt: new Date(Date.now() - hour) });
    expect((await pages.due(new Date())).map((p) => p.id)).toContain(page.id);
    expect(await pages.markExhausted(page.id, 5)).toBeUndefined();
    expect(await pages.markExhausted(page.id, 0)).toMatchObject({ status: 'exhausted' });
    expect((await pages.due(new Date())).map((p) => p.id)).not.toContain(page.id);
    await pages.recordPagerFailure(page.id, 'pagerduty', 'HTTP 503');
    expect((await pages.events(page.id)).map((e) => e.kind)).toEqual(['exhausted', 'pager_failed']);
  });
});
