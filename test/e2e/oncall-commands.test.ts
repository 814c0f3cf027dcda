import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp, replyText } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';
import { SWAP_ACCEPT } from '../../views/oncall-swap.js';

const CONFIG = `
timezone: Europe/Berlin
environments:
  prod: {}
oncall:
  schedules:
    support:
      layers:
        primary: { members: [U0DAVE, U0ERIN], rotation: daily, handoff: "09:00" }
        secondary: { members: [U0FRED] }
`;

describe('/ops oncall commands through Slack', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start({ configYaml: CONFIG });
  });
  afterAll(async () => app?.stop());
  const say = async (text: string, userId = 'U0DAVE') => {
    const reply = await app.ask(text, { userId });
    return `${reply.text} ${replyText(reply)}`;
  };

  it('shows who is on call per layer, until when, and the next handoffs', async () => {
    const text = await say('oncall');
    expect(text).toMatch(/primary\*: <@U0(DAVE|ERIN)> .*until/);
    expect(text).toContain('secondary*: <@U0FRED>');
    expect(text).toContain('Next handoffs');
    expect(text).toContain('Europe/Berlin');
  });

  it('draws the schedule as a picture', async () => {
    const text = await say('oncall schedule --weeks 2');
    expect(text).toContain('On call: support');
    await waitUntil('the picture uploaded', () => app.fake.callsTo('files.completeUploadExternal').length > 0);
  });

  it('adds, refuses overlapping, lists and removes overrides; bad dates say what to type', async () => {
    const added = await say('oncall override <@U0GINA|gina> 2030-12-24 09:00..2030-12-27 09:00');
    const id = /Override \*(\d+)\*/.exec(added)?.[1];
    expect(id).toBeDefined();
    expect(added).toContain('Tue 24 Dec 09:00');
    const clash = await say('oncall override <@U0HANK|hank> 2030-12-25 09:00..2030-12-26 09:00');
    expect(clash).toContain(`overlaps override ${id}`);
    const bad = await say('oncall override <@U0HANK|hank> 24.12.2030..27.12.2030');
    expect(bad).toContain('YYYY-MM-DD HH:MM');
    const layer = await say('oncall override <@U0HANK|hank> 2030-12-24..2030-12-25 --layer tertiary');
    expect(layer).toContain('Layers: primary, secondary');
    expect(await say('oncall overrides')).toContain(`*${id}* primary: <@U0GINA>`);
    expect(await say(`oncall override remove ${id}`)).toContain(`Removed override *${id}*`);
    expect(await say(`oncall override remove ${id}`)).toContain(`There is no override ${id}`);
  });

  it('asks the other person to accept a swap, and applies it when they do', async () => {
    const asked = await say('oncall swap <@U0DAVE|dave> <@U0ERIN|erin>');
    expect(asked).toContain('Asked <@U0ERIN>');
    const dm = await waitUntil('Accept button sent to erin', () =>
      app.fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'U0ERIN'),
    );
    const swapId = /"action_id":"oncall\.swap\.accept","value":"(\d+)"/.exec(JSON.stringify(dm.args))![1];
    const wrong = await app.click(SWAP_ACCEPT, swapId, { userId: 'U0DAVE' });
    expect(wrong.status).toBe(200);
    await app.click(SWAP_ACCEPT, swapId, { userId: 'U0ERIN' });
    await waitUntil('two overrides from the swap', async () =>
      (await say('oncall overrides')).includes(`swap ${swapId}`),
    );
  });

  it('names the schedules when one does not exist', async () => {
    expect(await say('oncall nosuch')).toContain('Schedules: support');
  });
});
