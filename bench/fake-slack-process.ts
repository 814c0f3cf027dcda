/**
 * The fake Slack Web API (and the health endpoint the bench probes) in a
 * process of its own, so the replies opsbot posts do not compete with the
 * load generator's timing. Prints its addresses as one JSON line.
 */
import { startFakeSlack } from '../test/support/fake-slack.js';

const fake = await startFakeSlack();
console.log(JSON.stringify({ url: fake.url, apiUrl: fake.apiUrl, responseUrl: fake.responseUrl('bench') }));
process.once('SIGTERM', () => void fake.close().then(() => process.exit(0)));
