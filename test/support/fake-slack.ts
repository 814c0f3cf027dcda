// The fake Slack Web API lives in src/sandbox/slack/ (the demo's playground uses it
// at run time); tests import it from here as before.
export * from '../../src/sandbox/slack/fake-slack.js';
