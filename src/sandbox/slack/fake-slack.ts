// Local fake of the Slack Web API (node:http only), for end-to-end tests and the
// demo's playground. Point Bolt at it with `clientOptions: { slackApiUrl: fake.apiUrl }`.
// `listen()` gives it its own port (tests); `mount(baseUrl)` + `handleRequest()`
// serve it under a path of another server (the demo, on the bot's own port).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BLOCK_KIT_REJECTION,
  checkMessage,
  formatProblem,
  type BlockKitProblem,
} from '../../../views/block-kit-rules.js';
import { METHODS } from './fake-slack-methods.js';
import {
  poll,
  type BlockKitViolation,
  type CallPredicate,
  type FakeSlackOptions,
  type MethodOverride,
  type RecordedCall,
  type ResponseUrlPost,
  type WaitOptions,
} from './fake-slack-recording.js';
import { FakeState, type StoredMessage } from './fake-slack-state.js';
import { chatUnfurl } from './fake-slack-unfurl.js';
import { FaultPlan } from './fake-slack-faults.js';
import { ChannelRate } from './fake-slack-rate.js';
import { chatAppendStream, chatStartStream, chatStopStream, isStreamMessage } from './fake-slack-streams.js';
import { formArgs, parseArgs, readBody, send, uploadedBytes } from './fake-slack-wire.js';

METHODS['chat.unfurl'] = chatUnfurl;
METHODS['chat.startStream'] = chatStartStream;
METHODS['chat.appendStream'] = chatAppendStream;
METHODS['chat.stopStream'] = chatStopStream;

export type { Answer, Args, EphemeralMessage, FakeChannel, FakeFile, StoredMessage } from './fake-slack-state.js';
export type {
  BlockKitViolation,
  CallPredicate,
  FakeSlackOptions,
  MethodOverride,
  RecordedCall,
  ResponseUrlPost,
  WaitOptions,
} from './fake-slack-recording.js';

export class FakeSlack extends FakeState {
  readonly calls: RecordedCall[] = [];
  readonly responses: ResponseUrlPost[] = [];
  /** Every message, response_url body and view rejected for Block Kit's rules. Tests expect none. */
  readonly violations: BlockKitViolation[] = [];
  /** How many chat.postMessage calls the per-channel rate limit rejected. */
  rateLimited = 0;
  private readonly faults = new FaultPlan();
  private overrides = new Map<string, MethodOverride>();
  private readonly channelRate = new ChannelRate();
  private responseSeq = 0;
  private server?: Server;
  private basePath = '';
  /** Called after every recorded Web API call and response_url post (the playground pushes updates from here). */
  readonly listeners = new Set<
    (event: { kind: 'call'; call: RecordedCall } | { kind: 'response'; post: ResponseUrlPost }) => void
  >();

  constructor(private readonly opts: FakeSlackOptions = {}) {
    super(opts.teamId ?? 'T0FAKETEAM', opts.botUserId ?? 'U0FAKEBOT', opts.botId ?? 'B0FAKEBOT');
  }

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  async listen(): Promise<this> {
    const server = createServer((req, res) => this.handleRequest(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  /** Serve under `baseUrl` (e.g. http://127.0.0.1:3000/sandbox/slack) of a server someone else runs. */
  mount(baseUrl: string): this {
    this.url = baseUrl.replace(/\/$/, '');
    this.basePath = new URL(this.url).pathname.replace(/\/$/, '');
    return this;
  }

  handleRequest(req: IncomingMessage, res: ServerResponse): void {
    this.route(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, { ok: false, error: 'fake_internal_error', detail: String(e) });
    });
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections(); // keep-alive sockets from fetch would otherwise hold close() open
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves with the matching calls once at least `count` (default 1) exist. */
  async waitFor(what: string | CallPredicate, opts: WaitOptions = {}): Promise<RecordedCall[]> {
    const pred: CallPredicate = typeof what === 'string' ? (c) => c.method === what : what;
    const label = typeof what === 'string' ? what : 'predicate';
    return poll(
      () => this.calls.filter(pred),
      opts,
      (n, want, ms) => {
        const seen = this.calls.map((c) =>
          c.response?.ok === false ? `${c.method}(${c.status} ${c.response.error})` : c.method,
        );
        return `fake-slack: waited ${ms}ms for ${want} call(s) matching ${label}, got ${n}. Calls so far: ${seen.join(', ') || '(none)'}`;
      },
    );
  }

  responseUrl(id = `r${++this.responseSeq}`): string {
    return `${this.url}/response/${encodeURIComponent(id)}`;
  }

  async waitForResponse(
    pred: (p: ResponseUrlPost) => boolean = () => true,
    opts: WaitOptions = {},
  ): Promise<ResponseUrlPost[]> {
    return poll(
      () => this.responses.filter(pred),
      opts,
      (n, want, ms) =>
        `fake-slack: waited ${ms}ms for ${want} response_url POST(s), got ${n}. Posts so far: ${this.responses.map((r) => r.id).join(', ') || '(none)'}; API calls: ${this.calls.map((c) => c.method).join(', ') || '(none)'}`,
    );
  }

  /** The newest message in the channel or its threads, leaving out streamed logs (chat.startStream). */
  lastMessage(channel: string): StoredMessage | undefined {
    return this.messages[channel]?.filter((m) => !isStreamMessage(m)).at(-1);
  }
  message(channel: string, ts: string): StoredMessage | undefined {
    return this.find(channel, ts);
  }

  failNext(method: string, error: string, times = 1): void {
    this.faults.queue(method, { kind: 'fail', error }, times);
  }
  rateLimitNext(method: string, retryAfterSeconds: number, times = 1): void {
    this.faults.queue(method, { kind: 'ratelimit', seconds: retryAfterSeconds }, times);
  }
  serverErrorNext(method: string, status = 500, times = 1): void {
    this.faults.queue(method, { kind: 'server', status }, times);
  }
  /** An outage: HTTP 500 to every call to these methods for the next `ms` (count-free, unlike serverErrorNext). */
  serverErrorFor(methods: string[], ms: number): void {
    this.faults.outage(methods, ms);
  }
  delayNext(method: string, ms: number, times = 1): void {
    this.faults.delay(method, ms, times);
  }
  /** Replace the built-in answer; `ok: true` is added unless the override sets `ok`. Pass null to remove. */
  handle(method: string, fn: MethodOverride | null): void {
    if (fn) this.overrides.set(method, fn);
    else this.overrides.delete(method);
  }
  /** Token bucket per channel for chat.postMessage, like Slack's ~1 msg/s/channel limit. */
  enforceChannelRate(opts: { perSecond: number; burst: number } | null): void {
    this.channelRate.set(opts);
  }

  /** Back to a freshly started fake: recordings, workspace state, faults, overrides, rate limits. */
  reset(): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.violations.length = 0;
    this.rateLimited = 0;
    this.faults.clear();
    this.overrides.clear();
    this.enforceChannelRate(null);
    this.clear();
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', this.url);
    const raw = await readBody(req);
    const path =
      this.basePath && u.pathname.startsWith(this.basePath) ? u.pathname.slice(this.basePath.length) : u.pathname;
    const [, kind, id = ''] = path.split('/');
    if (kind === 'api' && id) return this.api(decodeURIComponent(id), req, u, raw, res);
    if (kind === 'response' && req.method === 'POST') {
      const text = raw.toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* keep raw text: not what Bolt sends, but still recorded */
      }
      const problems = body && typeof body === 'object' ? checkMessage(body) : [];
      if (problems.length) {
        // Like Slack's response_url (and incoming webhooks): HTTP 400, the error code as the body.
        this.recordViolation('response_url', problems);
        res
          .writeHead(400, { 'content-type': 'text/html' })
          .end(problems.find((p) => p.error)?.error ?? 'invalid_blocks');
        return;
      }
      const post = { id: decodeURIComponent(id), body, at: Date.now() };
      this.responses.push(post);
      this.notify({ kind: 'response', post });
      res.writeHead(200, { 'content-type': 'text/html' }).end('ok');
      return;
    }
    if (kind === 'upload' && req.method === 'POST') {
      if (!this.files[id]) {
        res.writeHead(404).end('not found');
        return;
      }
      this.uploads[id] = await uploadedBytes(raw, req.headers['content-type']);
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${this.uploads[id].length}`);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }

  private async api(method: string, req: IncomingMessage, u: URL, raw: Buffer, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const args = { ...formArgs(u.searchParams), ...parseArgs(raw, req.headers['content-type']) };
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
    delete args.token;
    const call: RecordedCall = { method, args, token, at, status: 200, response: undefined };
    const delay = this.faults.takeDelay(method);
    if (delay) await new Promise((r) => setTimeout(r, delay));

    let headers: Record<string, string> = {};
    const fault = this.faults.take(method);
    if (
      fault?.kind === 'ratelimit' ||
      (!fault && method === 'chat.postMessage' && !this.channelRate.take(String(args.channel)))
    ) {
      if (!fault) this.rateLimited += 1;
      call.status = 429;
      headers = { 'retry-after': String(fault?.kind === 'ratelimit' ? fault.seconds : 1) };
      call.response = { ok: false, error: 'ratelimited' };
    } else if (fault?.kind === 'server') {
      call.status = fault.status;
      call.response = { ok: false, error: 'fake_server_error' };
    } else if (fault?.kind === 'fail') {
      call.response = { ok: false, error: fault.error };
    } else if (this.opts.requireToken && !token) {
      call.response = { ok: false, error: 'not_authed' };
    } else {
      const override = this.overrides.get(method);
      const builtin = METHODS[method];
      if (override) call.response = { ok: true, ...(await override(args, call)) };
      else if (builtin) call.response = builtin(args, this);
      else call.response = { ok: false, error: 'unknown_method' };
      const problems = call.response?.[BLOCK_KIT_REJECTION] as BlockKitProblem[] | undefined;
      if (problems) this.recordViolation(method, problems);
    }
    this.calls.push(call);
    send(res, call.status, call.response, headers);
    this.notify({ kind: 'call', call });
  }

  private recordViolation(method: string, problems: BlockKitProblem[]): void {
    this.violations.push({ method, problems, messages: problems.map(formatProblem), at: Date.now() });
  }

  /** One line per rejected message or view, for a test failure. */
  describeViolations(): string {
    return this.violations.map((v) => `${v.method}: ${v.messages.join('; ')}`).join('\n');
  }

  private notify(event: { kind: 'call'; call: RecordedCall } | { kind: 'response'; post: ResponseUrlPost }): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        /* a listener's bug must not break the fake */
      }
    }
  }
}

export async function startFakeSlack(opts?: FakeSlackOptions): Promise<FakeSlack> {
  return new FakeSlack(opts).listen();
}
