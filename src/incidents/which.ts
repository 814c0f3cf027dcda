import { UserError } from '../errors.js';
import type { Incident, IncidentRepository } from '../store/incidents.js';
import { renderWhichIncident } from '../../views/incident-list.js';

/**
 * Which incident a command means: --id; else the incident of the channel it
 * was typed in; else the only open one; else a refusal that lists them.
 */
export async function whichIncident(
  repo: Pick<IncidentRepository, 'get' | 'byChannel' | 'open'>,
  { id, channelId }: { id?: number; channelId?: string },
): Promise<Incident> {
  if (id !== undefined) {
    const found = await repo.get(id);
    if (found) return found;
    const open = await repo.open();
    throw new UserError(
      `There is no incident INC-${id}.`,
      open.length ? `Open incidents:\n${renderWhichIncident(open)}` : 'There are no open incidents.',
    );
  }
  const here = channelId ? await repo.byChannel(channelId) : undefined;
  if (here) return here;
  const open = await repo.open();
  if (open.length === 1) return open[0];
  if (open.length === 0)
    throw new UserError(
      'There is no open incident.',
      'Declare one with `/ops incident declare P1 <title>`, or name a resolved one with `--id <number>`.',
    );
  throw new UserError(
    `There are ${open.length} open incidents. Type the command in the incident's channel, or say which one with \`--id\`:`,
    renderWhichIncident(open),
  );
}
