import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { incidentIdArg, severityArg } from './args.js';
import { incidentRef, slackTime } from '../../views/incident-card.js';
import { responseTarget } from '../../src/config/response-targets.js';
import { renderIncidentDone } from '../../views/incident-messages.js';

export const incidentSeverity = defineCommand({
  name: 'incident severity',
  summary: 'Change the severity (moves the response target and the update reminders)',
  usage: '<P0-P4> [--id <n>]',
  examples: ['incident severity P0'],
  risk: 'write',
  env: false,
  positionals: ['severity'],
  args: z.object({ severity: severityArg, id: incidentIdArg }),
  async run(ctx, { severity, id }) {
    const { incidents } = ctx.services;
    const target = await incidents.target({ id, channelId: ctx.channelId });
    const { incident, effects } = await incidents.setSeverity(target.id, ctx.actor.id, severity);
    await effects;
    const due = responseTarget(ctx.config, severity, incident.declaredAt);
    return renderIncidentDone(
      `*${incidentRef(incident)}* is now ${severity}: a response is due by ${slackTime(due.dueAt)} (${due.target} from the declaration).`,
    );
  },
});
