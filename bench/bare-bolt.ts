/** The baseline for bench/ack-latency: a Bolt app whose /ops listener only acks. */
import { App, HTTPReceiver } from '@slack/bolt';

const receiver = new HTTPReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET! });
const app = new App({
  token: process.env.SLACK_BOT_TOKEN!,
  receiver,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
});
app.command('/ops', async ({ ack }) => ack());
await app.start(Number(process.env.PORT));
console.log('ready');
