// The playground as a Feature added only by the demo launcher: its routes sit
// beside /slack/events on the bot's own port (Bolt customRoutes), and it talks
// to the bot only the way Slack does — signed POSTs to /slack/events, and the
// fake Web API (also served here) that the bot's SLACK_API_URL points at.
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { Feature } from '../../core/feature.js';
import type { FakeSlack } from '../slack/fake-slack.js';
import type { AwsSimulator } from '../aws/server.js';
import { alarmFiring } from '../aws/cloudwatch.js';
import { Workspace, PEOPLE, type EntryRef } from './workspace.js';
import {
  blockActions,
  newTriggerId,
  postSigned,
  slashCommand,
  viewClosed,
  viewSubmission,
  type ActionInput,
} from './slack-payloads.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface PlaygroundOptions {
  fake: FakeSlack;
  signingSecret: string;
  /** http://127.0.0.1:PORT/slack/events, known once the bot listens. */
  eventsUrl: () => string;
  aws?: AwsSimulator;
}

const STATIC: Record<string, string> = {
  '': 'index.html',
  'app.js': 'app.js',
  'blocks.js': 'blocks.js',
  'mrkdwn.js': 'mrkdwn.js',
  'style.css': 'style.css',
};
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

export class Playground {
  readonly workspace: Workspace;
  private streams = new Set<ServerResponse>();
  private version = 0;
  private pending?: NodeJS.Timeout;
  private keepAlive: NodeJS.Timeout;

  constructor(private readonly opts: PlaygroundOptions) {
    this.workspace = new Workspace(opts.fake);
    opts.fake.listeners.add(() => this.changed());
    this.keepAlive = setInterval(() => {
      for (const s of this.streams) s.write(': keep-alive\n\n');
      this.workspace.trim();
    }, 15_000);
    this.keepAlive.unref();
  }

  feature(): Feature {
    return { name: 'playground', routes: this.routes() };
  }

  close(): void {
    clearInterval(this.keepAlive);
    for (const s of this.streams) s.end();
    this.streams.clear();
  }

  /** Tell open pages to fetch the state again (coalesced: progress updates come in bursts). */
  changed(): void {
    this.version += 1;
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      for (const s of this.streams) s.write(`data: ${this.version}\n\n`);
    }, 50);
  }

  routes(): CustomRoute[] {
    const fakeSlack = (req: IncomingMessage, res: ServerResponse) => this.opts.fake.handleRequest(req, res);
    return [
      { path: '/sandbox/slack/*rest', method: ['GET', 'POST'], handler: fakeSlack },
      { path: '/playground', method: 'GET', handler: (req, res) => this.serveStatic('', res) },
      { path: '/playground/api/state', method: 'GET', handler: (req, res) => this.state(req, res) },
      { path: '/playground/api/events', method: 'GET', handler: (req, res) => this.events(req, res) },
      { path: '/playground/api/:op', method: 'POST', handler: (req, res) => void this.post(req, res) },
      {
        path: '/playground/:file',
        method: 'GET',
        handler: (req, res) => this.serveStatic(String((req as any).params?.file ?? ''), res),
      },
    ];
  }

  private serveStatic(file: string, res: ServerResponse): void {
    const name = STATIC[file];
    if (!name) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    readFile(new URL(`./static/${name}`, import.meta.url)).then(
      (body) =>
        res.writeHead(200, { 'content-type': TYPES[name.split('.').pop()!], 'cache-control': 'no-store' }).end(body),
      () => res.writeHead(404).end('not found'),
    );
  }

  private state(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const viewer = url.searchParams.get('user') ?? PEOPLE[0].id;
    const w = this.workspace;
    const channels = w.channels();
    const fleet = this.opts.aws?.fleet;
    sendJson(res, 200, {
      version: this.version,
      people: PEOPLE,
      channels,
      timelines: Object.fromEntries(channels.map((c) => [c.id, w.timeline(c.id, viewer)])),
      view: w.openView(viewer) ?? null,
      fleet: fleet && {
        alarm: alarmFiring(fleet),
        beanstalk: `${fleet.names.environment}: ${fleet.eb.status} · ${fleet.eb.health} · ${fleet.eb.version} · ${fleet.eb.asg.instances.length} instances`,
        ecs: `${fleet.names.service}: ${fleet.ecs.deployments.map((d) => `${d.status} ${d.taskDefinition.split('/').pop()} ${d.running}/${d.desired}`).join(', ')}`,
        rds: [...fleet.rds.values()].map((d) => `${d.id}: ${d.status}`).join(' · '),
      },
    });
  }

  private events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(`data: ${this.version}\n\n`);
    this.streams.add(res);
    req.on('close', () => this.streams.delete(res));
  }

  private async post(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      const op = String((req as any).params?.op ?? '');
      const user = PEOPLE.find((p) => p.id === input.user) ?? PEOPLE[0];
      const out = await this.perform(op, input, { id: user.id, name: user.name });
      sendJson(res, 200, out);
    } catch (err) {
      sendJson(res, 400, { ok: false, error: (err as Error).message });
    } finally {
      this.changed();
    }
  }

  /** What a person does on the page (command, action, submit, close), as the signed request Slack would send. */
  async perform(op: string, input: any, user: { id: string; name: string }): Promise<any> {
    const w = this.workspace;
    const triggerId = newTriggerId();
    w.trigger(user.id, triggerId);
    const send = (body: string) => postSigned(this.opts.eventsUrl(), this.opts.signingSecret, body);
    switch (op) {
      case 'command': {
        const text = String(input.text ?? '')
          .replace(/^\/ops\s*/, '')
          .trim();
        const channel = String(input.channel ?? 'C0OPS');
        w.recordTyped(channel, user.id, text);
        const responseUrl = w.responseUrl({ channel, user: user.id });
        const r = await send(
          slashCommand({
            text,
            userId: user.id,
            userName: user.name,
            channelId: channel,
            channelName: w.channelName(channel),
            responseUrl,
            triggerId,
          }),
        );
        return { ok: r.status === 200, status: r.status };
      }
      case 'action': {
        const ref = input.ref as EntryRef | undefined;
        const action = input.action as ActionInput;
        if (input.viewId) {
          const view = this.opts.fake.views[input.viewId];
          const r = await send(blockActions({ user, view, triggerId, action, stateValues: input.values }));
          return { ok: r.status === 200, status: r.status };
        }
        const channel = String(input.channel);
        const { message, ephemeral } = ref ? w.messageFor(ref) : { message: undefined, ephemeral: true };
        const responseUrl = w.responseUrl({ channel, user: user.id, source: ref });
        const r = await send(
          blockActions({
            user,
            channel: { id: channel, name: w.channelName(channel) },
            message,
            ephemeral,
            responseUrl,
            triggerId,
            action,
          }),
        );
        return { ok: r.status === 200, status: r.status };
      }
      case 'submit': {
        const view = this.opts.fake.views[input.viewId];
        if (!view) throw new Error('that modal is gone');
        const r = await send(viewSubmission({ user, view, values: input.values ?? {}, triggerId }));
        const answer = r.text ? safeJson(r.text) : {};
        if (answer?.response_action === 'errors') return { ok: false, errors: answer.errors };
        if (answer?.response_action === 'update' || answer?.response_action === 'push') {
          this.opts.fake.views[view.id] = { ...view, ...answer.view, id: view.id };
          return { ok: true };
        }
        w.closeView(user.id);
        return { ok: r.status === 200, status: r.status };
      }
      case 'close': {
        const view = this.opts.fake.views[input.viewId];
        if (view?.notify_on_close) await send(viewClosed({ user, view }));
        w.closeView(user.id);
        return { ok: true };
      }
      default:
        throw new Error(`unknown playground operation ${op}`);
    }
  }
}

function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}
