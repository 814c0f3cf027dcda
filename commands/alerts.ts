import { z } from 'zod';
import { defineCommand } from '../src/core/command.js';
import { renderAlertList } from '../views/alert-list.js';

export const alertsList = defineCommand({
  name: 'alerts',
  summary: 'Alerts firing now: unacknowledged, acknowledged and silenced',
  usage: '',
  examples: ['alerts'],
  risk: 'read',
  env: false,
  args: z.object({}),
  async run(ctx) {
    const { alerts, activeSilences } = await ctx.services.alerts.listFiring();
    return renderAlertList(alerts, activeSilences, ctx.services.clock());
  },
});
