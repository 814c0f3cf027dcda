import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApp, replyText } from '../support/test-app.js';

describe('access rules', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start({
      configYaml: `
environments:
  prod: {}
access:
  roles:
    oncall: { users: [U0ALICE], usergroups: [S0ONCALL] }
  rules:
    - commands: [jobs]
      allow: [oncall]
`,
    });
    app.fake.usergroups.S0ONCALL = ['U0GROUPIE'];
  });
  afterAll(async () => app?.stop());

  it('lets a listed user run a restricted command', async () => {
    expect(replyText(await app.ask('jobs', { userId: 'U0ALICE' }))).toContain('Jobs');
  });

  it('lets a member of a Slack user group in the role run it', async () => {
    expect(replyText(await app.ask('jobs', { userId: 'U0GROUPIE' }))).toContain('Jobs');
    expect(app.fake.callsTo('usergroups.users.list')[0].args.usergroup).toBe('S0ONCALL');
  });

  it('refuses anyone else with the reason and who to ask, and audits the refusal', async () => {
    const reply = await app.ask('jobs', { userId: 'U0MALLORY' });
    expect(reply.response_type).toBe('ephemeral');
    expect(replyText(reply)).toContain('`jobs` is limited to the `oncall` role');
    const [entry] = (await app.runtime.services.audit.recent(20)).filter((a) => a.actorId === 'U0MALLORY');
    expect(entry.outcome).toBe('denied');
  });

  it('a rule naming "jobs" also covers "jobs cancel"', async () => {
    expect(replyText(await app.ask('jobs cancel 5', { userId: 'U0MALLORY' }))).toContain(
      '`jobs cancel` is limited to the `oncall` role',
    );
  });

  it('leaves commands no rule names open to everyone', async () => {
    expect(replyText(await app.ask('help', { userId: 'U0MALLORY' }))).toContain('opsbot commands');
  });

  it('shows who may run a command in its help', async () => {
    expect(replyText(await app.ask('help jobs', { userId: 'U0MALLORY' }))).toContain('only oncall');
  });
});
