import { z } from 'zod';
import { defineCommand } from '../../src/core/command.js';
import { renderSvgToPng } from '../../src/charts/png.js';
import { renderScheduleSvg } from '../../views/oncall-schedule.js';
import { renderOncallNow, timeIn } from '../../views/oncall-status.js';
import { scheduleArg } from './args.js';

export const oncallSchedule = defineCommand({
  name: 'oncall schedule',
  summary: 'A picture of the next weeks of a schedule (who is on call when), plus the text',
  usage: '[schedule] [--weeks 4]',
  examples: ['oncall schedule', 'oncall schedule platform --weeks 8'],
  risk: 'read',
  env: false,
  positionals: ['schedule'],
  args: z.object({
    schedule: scheduleArg,
    weeks: z.coerce
      .number({ error: 'is not a number of weeks such as 4' })
      .int('is a whole number of weeks such as 4')
      .min(1, 'must be between 1 and 12')
      .max(12, 'must be between 1 and 12')
      .default(4),
  }),
  async run(ctx, { schedule, weeks }) {
    const { now, picture } = await ctx.services.oncall.picture(schedule, weeks);
    const text = renderOncallNow(now, timeIn(now.timeZone));
    const png = renderSvgToPng(renderScheduleSvg(picture));
    const shifts = picture.rows.flatMap((r) =>
      r.bars.map(
        (b) =>
          `${r.layer}: <@${b.userId}> ${timeIn(now.timeZone)(b.start)} → ${timeIn(now.timeZone)(b.end)}${b.override ? ' (override)' : ''}`,
      ),
    );
    return {
      ...text,
      text: `${picture.title}`,
      blocks: [
        ...text.blocks.slice(0, 1),
        {
          type: 'section',
          text: { type: 'mrkdwn', text: `*${picture.title}*\n${shifts.slice(0, 30).join('\n')}`.slice(0, 2900) },
        },
        ...text.blocks.slice(2),
      ],
      files: [{ filename: `oncall-${now.schedule}.png`, title: picture.title, content: png }],
    };
  },
});
