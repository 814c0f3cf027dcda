import type { KnownBlock } from '@slack/types';
import { context, escapeMrkdwn, section, truncate } from './blocks.js';
import type { Reply } from './reply.js';
import { humanDuration, slackDate } from './alert-card.js';

export interface SilenceView {
  id: string;
  matcher: string;
  reason?: string;
  createdBy: string;
  endsAt: Date;
  suppressed: number;
  removedBy?: string;
}

function who(id: string): string {
  return id.startsWith('U') || id.startsWith('W') ? `<@${id}>` : escapeMrkdwn(id);
}

function line(s: SilenceView, now: Date): string {
  const reason = s.reason ? ` — ${escapeMrkdwn(s.reason)}` : '';
  return `:no_bell: *#${s.id}* \`${escapeMrkdwn(s.matcher)}\` until ${slackDate(s.endsAt)} (${humanDuration(s.endsAt.getTime() - now.getTime())} left) · by ${who(s.createdBy)} · ${s.suppressed} held back${reason}`;
}

export function renderSilenceList(silences: SilenceView[], now = new Date()): Reply {
  if (silences.length === 0)
    return {
      text: 'No active silences',
      blocks: [
        section('No active silences.'),
        context('Add one: `/ops silence add <key or pattern> <1h|4h|24h> [reason]`'),
      ],
    };
  return {
    text: `${silences.length} active silences`,
    blocks: [
      section(`*${silences.length} active silence${silences.length === 1 ? '' : 's'}*`),
      section(truncate(silences.map((s) => line(s, now)).join('\n'), 2900)),
      context('End one early: `/ops silence remove <id>`'),
    ],
  };
}

export function renderSilenceAdded(s: SilenceView, matching: number): Reply {
  return {
    text: `Silenced ${s.matcher} until ${s.endsAt.toISOString()}`,
    tone: 'muted',
    blocks: [
      section(
        `:no_bell: Silenced \`${escapeMrkdwn(s.matcher)}\` until ${slackDate(s.endsAt)} (silence *#${s.id}*)${s.reason ? ` — ${escapeMrkdwn(s.reason)}` : ''}`,
      ),
      context(
        `${matching} firing alert${matching === 1 ? '' : 's'} match now. Alerts that match are counted, not posted, and reported when the silence ends. End it early: \`/ops silence remove ${s.id}\``,
      ),
    ],
  };
}

export interface SilenceEndedView extends SilenceView {
  alerts: number;
  stillFiring: string[];
}

/** Posted when a silence ends: what it held back, and what is still firing (those are posted again). */
export function renderSilenceEnded(s: SilenceEndedView): Reply {
  const how = s.removedBy ? `removed by ${who(s.removedBy)}` : 'expired';
  const blocks: KnownBlock[] = [
    section(
      `:bell: Silence *#${s.id}* on \`${escapeMrkdwn(s.matcher)}\` ${how}: *${s.suppressed}* notification${s.suppressed === 1 ? '' : 's'} for ${s.alerts} alert${s.alerts === 1 ? '' : 's'} were held back.`,
    ),
  ];
  if (s.stillFiring.length)
    blocks.push(
      section(
        truncate(`Still firing, posted again:\n${s.stillFiring.map((t) => `• ${escapeMrkdwn(t)}`).join('\n')}`, 2900),
      ),
    );
  blocks.push(context(`Created by ${who(s.createdBy)}${s.reason ? ` — ${escapeMrkdwn(s.reason)}` : ''}`));
  return {
    text: `Silence #${s.id} on ${s.matcher} ${how}: ${s.suppressed} notifications held back`,
    tone: s.stillFiring.length ? 'warning' : 'ok',
    blocks,
  };
}
