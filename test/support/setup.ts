import 'aws-sdk-client-mock-vitest/extend';
import { afterEach } from 'vitest';
import { takeBlockKitViolations } from './fake-slack.js';

// Strict Block Kit in every test: real Slack rejects these with invalid_blocks /
// invalid_arguments, so a test whose bot sent one fails here even if it asserted nothing about it.
afterEach(() => {
  const violations = takeBlockKitViolations();
  if (violations.length)
    throw new Error(`the fake Slack rejected what the bot sent (Block Kit rules):\n${violations.join('\n')}`);
});
