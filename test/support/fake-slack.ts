// The fake Slack Web API lives in src/sandbox/slack/ (the demo's playground uses it
// at run time); tests import it from here as before. Every fake started here is
// watched by test/support/setup.ts: a test fails if the bot sent anything real Slack
// would reject under Block Kit's rules (src/sandbox/slack/block-kit-rules.ts).
import { FakeSlack, type FakeSlackOptions } from '../../src/sandbox/slack/fake-slack.js';

export * from '../../src/sandbox/slack/fake-slack.js';

const watched = new Set<FakeSlack>();

export async function startFakeSlack(opts?: FakeSlackOptions): Promise<FakeSlack> {
  return watchFakeSlack(await new FakeSlack(opts).listen());
}

/** Have setup.ts check a fake this module did not start (e.g. the playground's). */
export function watchFakeSlack(fake: FakeSlack): FakeSlack {
  watched.add(fake);
  return fake;
}

/** The violations every watched fake recorded since the last call, which clears them. */
export function takeBlockKitViolations(): string[] {
  const out: string[] = [];
  for (const fake of watched) {
    if (fake.violations.length) out.push(fake.describeViolations());
    fake.violations.length = 0;
  }
  return out;
}
