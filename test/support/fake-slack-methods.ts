// Moved to src/sandbox/slack/ with the fake Slack Web API; re-exported for tests.
export * from '../../src/sandbox/slack/fake-slack-methods.js';
export * from '../../src/sandbox/slack/fake-slack-state.js';
