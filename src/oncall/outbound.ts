import type { Reply } from '../core/reply.js';
import type { Logger } from '../log.js';
import type { Page, PageRepository } from '../store/oncall-pages.js';
import { renderPagerDown } from '../../views/oncall-page.js';
import { PagerError, type Pager, type PageSeverity } from './pagers/index.js';

/** The key a page is filed under at the pager ("incident-7", "alert-42"): the same for trigger, acknowledge, resolve. */
export const dedupKey = (page: Page): string => page.key.replace(':', '-');

/**
 * Forwards pages to the outbound pagers (PagerDuty, Opsgenie/JSM), each on its
 * own: one that is down is said in the page's channel and never stops the Slack
 * page. The calls run beside the page, in order per page (trigger before
 * acknowledge before resolve), so a pager that times out and is retried never
 * holds up a page, a button or a modal's 3-second answer.
 */
export class OutboundPagers {
  /** Calls in flight, chained per page. */
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly pagers: Pager[],
    private readonly pages: Pick<PageRepository, 'recordPagerFailure'>,
    private readonly say: (page: Page, reply: Reply) => Promise<void>,
    private readonly log: Logger,
  ) {}

  forward(page: Page, call: (p: Pager) => Promise<unknown>): void {
    const pagers = this.pagers.filter((p) => p.handles(page.severity as PageSeverity));
    if (pagers.length === 0) return;
    const before = this.inFlight.get(page.id) ?? Promise.resolve();
    const next = before.then(async () => void (await Promise.all(pagers.map((p) => this.send(p, page, call)))));
    this.inFlight.set(page.id, next);
    void next.finally(() => {
      if (this.inFlight.get(page.id) === next) this.inFlight.delete(page.id);
    });
  }

  /** Resolves once every call started so far has finished (or failed and been reported). */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight.values()]);
  }

  private async send(pager: Pager, page: Page, call: (p: Pager) => Promise<unknown>): Promise<void> {
    try {
      await call(pager);
    } catch (err) {
      const message = err instanceof PagerError ? err.message : (err as Error).message;
      this.log.warn({ err, pager: pager.name, page: page.id }, 'outbound pager failed');
      await this.pages
        .recordPagerFailure(page.id, pager.name, message)
        .catch((e) => this.log.warn({ err: e, page: page.id }, 'could not record an outbound pager failure'));
      await this.say(page, renderPagerDown(pager.name, message, page.summary));
    }
  }
}
