import type { Reply } from '../src/core/reply.js';
import { actions, button, context, section } from './blocks.js';
import { humanDuration } from './incident-card.js';

export const PAGE_ACK = 'oncall.page.ack';
export const PAGE_ESCALATE = 'oncall.page.escalate';

/** What a page is about, as the DM card shows it. */
export interface PageCard {
  pageId: string;
  subject: 'alert' | 'incident' | 'manual';
  subjectId: string;
  severity: string;
  summary: string;
  channelId?: string;
  openedAt: Date;
  /** Which step of which pass this firing is ("primary", pass 2). */
  via: { target: string; users: string[] }[];
  step: number;
  pass: number;
  unreachable: string[];
  /** When the next step pages someone else, if nobody acknowledges. */
  nextAt?: Date;
}

const ICON: Record<string, string> = { P0: ':red_circle:', P1: ':red_circle:', P2: ':large_orange_circle:' };

function subjectLine(c: PageCard): string {
  const what = c.subject === 'incident' ? `Incident INC-${c.subjectId}` : c.subject === 'alert' ? 'Alert' : 'Page';
  return `${ICON[c.severity] ?? ':large_yellow_circle:'} *${c.severity} ${what}: ${c.summary}*`;
}

/** The DM: the alert or incident, who is paged through which target, and Acknowledge / Escalate. */
export function renderPageDm(c: PageCard, now: Date): Reply {
  const where = c.channelId ? ` in <#${c.channelId}>` : '';
  const lines = [
    subjectLine(c),
    `You are paged${where} as ${c.via.map((v) => `*${v.target}*`).join(', ') || 'on call'}` +
      `${c.pass > 0 ? ` (repeat ${c.pass})` : ''}; open for ${humanDuration(now.getTime() - c.openedAt.getTime())}.`,
  ];
  const notes = [
    c.nextAt
      ? `Unacknowledged, the next step pages at <!date^${Math.floor(c.nextAt.getTime() / 1000)}^{time}|${c.nextAt.toISOString()}>.`
      : 'This is the last step of the chain.',
    ...c.unreachable.map((u) => `:warning: ${u}`),
  ];
  return {
    text: `Page: ${c.severity} ${c.summary}`,
    tone: 'danger',
    blocks: [
      section(lines.join('\n')),
      context(...notes),
      actions(
        `oncall.page.${c.pageId}`,
        button('Acknowledge', PAGE_ACK, c.pageId, 'primary'),
        button('Escalate now', PAGE_ESCALATE, c.pageId),
      ),
    ],
  };
}

/** The mention in the incident (or alert) channel. */
export function renderPageMention(c: PageCard): Reply {
  const people = [...new Set(c.via.flatMap((v) => v.users))].map((u) => `<@${u}>`).join(' ');
  const via = c.via.map((v) => `${v.target}: ${v.users.map((u) => `<@${u}>`).join(' ')}`).join(' · ');
  const text = `:pager: Paging ${people || 'nobody reachable'} for *${c.severity} ${c.summary}*${c.pass > 0 ? ` (repeat ${c.pass})` : ''}.`;
  return {
    text: `Paging ${people} for ${c.severity} ${c.summary}`,
    blocks: [
      section(text),
      context(via || 'no one on call for this step', ...c.unreachable.map((u) => `:warning: ${u}`)),
    ],
  };
}

export function renderPageAcknowledged(summary: string, userId: string, timeToAckMs: number): Reply {
  const text = `:white_check_mark: <@${userId}> acknowledged the page for *${summary}*; time to acknowledge ${humanDuration(timeToAckMs)}. Escalation stopped.`;
  return { text: `Page acknowledged by ${userId}`, tone: 'ok', blocks: [section(text)] };
}

export function renderPagerDown(pager: string, error: string, summary: string): Reply {
  const text = `:warning: Could not forward the page for *${summary}* to ${pager}: ${error}. Slack pages still go out; check the ${pager} integration (oncall.pagers in ops.yml).`;
  return { text: `${pager} is down: ${error}`, tone: 'warning', blocks: [section(text)] };
}

export function renderChainOver(summary: string, steps: number): Reply {
  const text = `:rotating_light: Nobody acknowledged the page for *${summary}* after ${steps} step(s); the escalation chain has run out. Acknowledge it here or page someone by hand.`;
  return { text: `Escalation chain over for ${summary}`, tone: 'danger', blocks: [section(text)] };
}
