import { context, escapeMrkdwn, section } from './blocks.js';
import type { KnownBlock } from './blocks.js';
import { SEVERITY_ICON, humanDuration, incidentRef, who, type IncidentView } from './incident-card.js';
import type { Reply } from './reply.js';
import { takeWithMore } from './limits.js';

const STATUS: Record<IncidentView['status'], string> = {
  open: 'not acknowledged',
  acknowledged: 'acknowledged',
  mitigated: 'mitigated',
  resolved: 'resolved',
};

/** Open incidents, most severe then newest first: one line each with age, owner and status. */
export function renderIncidentList(incidents: IncidentView[], now: Date): Reply {
  if (incidents.length === 0) {
    return {
      text: 'No open incidents',
      tone: 'ok',
      blocks: [
        section(':white_check_mark: No open incidents.'),
        context('Declare one with `/ops incident declare P1 <title>`.'),
      ],
    };
  }
  const { shown, more } = takeWithMore(incidents, 40);
  const blocks: KnownBlock[] = [section(`*${incidents.length} open incident${incidents.length === 1 ? '' : 's'}*`)];
  for (const i of shown) {
    const age = humanDuration(now.getTime() - i.declaredAt.getTime());
    const flag = i.status === 'open' ? ' :rotating_light:' : '';
    blocks.push(
      section(
        `${SEVERITY_ICON[i.severity]} *${i.severity}* ${incidentRef(i)} · ${escapeMrkdwn(i.title)}${i.channelId ? ` · <#${i.channelId}>` : ''}\n${age} old · owner ${who(i.ownerId)} · ${STATUS[i.status]}${flag}`,
      ),
    );
  }
  if (more) blocks.push(context(more));
  const worst = incidents[0].severity;
  return {
    text: `${incidents.length} open incident(s)`,
    tone: worst === 'P0' || worst === 'P1' ? 'danger' : 'warning',
    blocks,
  };
}

/** The refusal when a command cannot tell which incident it is about. */
export function renderWhichIncident(incidents: IncidentView[]): string {
  return incidents
    .map((i) => `• \`--id ${i.id}\` ${i.severity} ${escapeMrkdwn(i.title)}${i.channelId ? ` (<#${i.channelId}>)` : ''}`)
    .join('\n');
}
