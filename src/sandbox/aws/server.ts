// The simulated AWS endpoint: one local HTTP server that every SDK client
// reaches through AWS_ENDPOINT_URL. The service is told apart the way its
// protocol allows: X-Amz-Target for the JSON protocols, Version for Query.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AwsFault,
  parseQueryForm,
  sendJson,
  sendJsonError,
  sendQuery,
  sendQueryError,
  type Input,
} from './protocol.js';
import { Fleet, type FleetOptions } from './fleet.js';
import { autoscaling, beanstalk, type Handler } from './beanstalk.js';
import { ecs } from './ecs.js';
import { rds } from './rds.js';
import { withRdsChanges } from './rds-changes.js';
import { REGION_KEY, signedRegion, withDisasterRecovery } from './rds-dr.js';
import { alarmFiring, cloudwatch } from './cloudwatch.js';
import { logs } from './logs.js';
import { insights } from './logs-insights.js';
import { costExplorer } from './cost-explorer.js';
import {
  CLOUDFRONT_OPERATIONS,
  CLOUDFRONT_PREFIX,
  cloudfrontRoute,
  sendRestXml,
  sendRestXmlError,
} from './cloudfront.js';
import { cloudwatchAlarms } from './cloudwatch-alarms.js';
import { appAutoScaling } from './app-autoscaling.js';

interface JsonService {
  name: string;
  version: '1.0' | '1.1';
  queryCompatible: boolean;
  handlers: Record<string, Handler>;
}
interface QueryService {
  name: string;
  xmlns: string;
  namedLists: boolean;
  handlers: Record<string, Handler>;
}

const JSON_SERVICES: Record<string, JsonService> = {
  GraniteServiceVersion20100801: {
    name: 'cloudwatch',
    version: '1.0',
    queryCompatible: true,
    handlers: { ...cloudwatch, ...cloudwatchAlarms },
  },
  Logs_20140328: { name: 'logs', version: '1.1', queryCompatible: false, handlers: { ...logs, ...insights } },
  AmazonEC2ContainerServiceV20141113: { name: 'ecs', version: '1.1', queryCompatible: false, handlers: ecs },
  AWSInsightsIndexService: { name: 'ce', version: '1.1', queryCompatible: false, handlers: costExplorer },
  AnyScaleFrontendService: {
    name: 'application-autoscaling',
    version: '1.1',
    queryCompatible: false,
    handlers: appAutoScaling,
  },
};

const QUERY_SERVICES: Record<string, QueryService> = {
  '2010-12-01': {
    name: 'elasticbeanstalk',
    xmlns: 'http://elasticbeanstalk.amazonaws.com/docs/2010-12-01/',
    namedLists: false,
    handlers: beanstalk,
  },
  '2014-10-31': {
    name: 'rds',
    xmlns: 'http://rds.amazonaws.com/doc/2014-10-31/',
    namedLists: true,
    handlers: withDisasterRecovery(withRdsChanges(rds)),
  },
  '2011-01-01': {
    name: 'autoscaling',
    xmlns: 'http://autoscaling.amazonaws.com/doc/2011-01-01/',
    namedLists: false,
    handlers: autoscaling,
  },
};

export interface SimulatedCall {
  service: string;
  operation: string;
  at: number;
  error?: string;
}

export interface AwsSimulatorOptions extends FleetOptions {
  port?: number;
  host?: string;
  /** Added to every answer, so spinners are seen (real AWS takes 100–300 ms). */
  latencyMs?: number;
}

/** Every operation the simulator answers, as "service:Operation" (the IAM action names). */
export function simulatedOperations(): string[] {
  return [...Object.values(JSON_SERVICES), ...Object.values(QUERY_SERVICES)]
    .flatMap((s) => Object.keys(s.handlers).map((op) => `${s.name}:${op}`))
    .concat(CLOUDFRONT_OPERATIONS.map((op) => `cloudfront:${op}`));
}

export class AwsSimulator {
  readonly fleet: Fleet;
  readonly calls: SimulatedCall[] = [];
  url = '';
  private server?: Server;

  constructor(private readonly options: AwsSimulatorOptions = {}) {
    this.fleet = new Fleet(options);
  }

  async listen(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
      });
    });
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.options.port ?? 0, host, resolve);
    });
    this.url = `http://${host}:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.fleet.close();
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** The environment an SDK client needs to reach this simulator instead of AWS. */
  sdkEnv(): Record<string, string> {
    return {
      AWS_ENDPOINT_URL: this.url,
      AWS_REGION: this.fleet.names.region,
      AWS_ACCESS_KEY_ID: 'AKIASANDBOX000000000',
      AWS_SECRET_ACCESS_KEY: 'sandbox-secret-not-a-real-key',
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    if (req.method === 'GET' && req.url?.startsWith('/app/')) return this.app(req, res);
    if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));

    // CloudFront speaks REST-XML: the operation is the method and the path.
    if (req.url?.startsWith(CLOUDFRONT_PREFIX)) {
      const route = cloudfrontRoute(req.method ?? 'GET', req.url);
      return this.run(
        'cloudfront',
        route.op,
        () => route.answer(this.fleet, body),
        (out) => sendRestXml(res, out as ReturnType<typeof route.answer>),
        (f) => sendRestXmlError(res, f),
      );
    }
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string') {
      const [prefix, operation] = target.split('.');
      const service = JSON_SERVICES[prefix];
      if (!service)
        return void sendJsonError(
          res,
          '1.1',
          new AwsFault('UnknownOperationException', `The sandbox does not simulate ${target}.`),
          false,
        );
      const input = body ? (JSON.parse(body) as Input) : {};
      return this.run(
        service.name,
        operation,
        () => this.call(service.handlers, operation, input),
        (out) => sendJson(res, service.version, out ?? {}),
        (f) => sendJsonError(res, service.version, f, service.queryCompatible),
      );
    }
    const form = parseQueryForm(body);
    const service = QUERY_SERVICES[String(form.Version ?? '')];
    if (!service || !form.Action) {
      return void sendQueryError(
        res,
        new AwsFault(
          'InvalidAction',
          `The sandbox does not simulate this request (${req.method} ${req.url}, ${String(req.headers['content-type'] ?? 'no content type')}).`,
        ),
      );
    }
    const operation = String(form.Action);
    // The region the request was signed for: a client of another region reaches this same endpoint (rds-dr.ts).
    const region = signedRegion(req.headers.authorization);
    if (region) form[REGION_KEY] = region;
    return this.run(
      service.name,
      operation,
      () => this.call(service.handlers, operation, form),
      (out) => sendQuery(res, operation, service.xmlns, out, service.namedLists),
      (f) => sendQueryError(res, f),
    );
  }

  /** The fleet's web app, for /ops health's HTTP probes: slow and failing while the latency alarm fires. */
  private async app(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const firing = alarmFiring(this.fleet);
    const updating = this.fleet.eb.status !== 'Ready';
    await new Promise((r) => setTimeout(r, firing ? 900 : 40 + Math.random() * 60));
    const status = firing && req.url?.includes('/api/') ? 503 : 200;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        status: status === 200 ? 'ok' : 'degraded',
        version: this.fleet.eb.version,
        deploying: updating,
      }),
    );
  }

  private call(handlers: Record<string, Handler>, operation: string, input: Input): unknown {
    const handler = handlers[operation];
    if (!handler)
      throw new AwsFault('InvalidAction', `The sandbox does not simulate ${operation} yet (see src/sandbox/aws/).`);
    return handler(input, this.fleet);
  }

  private run(
    service: string,
    operation: string,
    fn: () => unknown,
    ok: (out: unknown) => void,
    fail: (f: AwsFault) => void,
  ): void {
    const call: SimulatedCall = { service, operation, at: Date.now() };
    this.calls.push(call);
    if (this.calls.length > 1000) this.calls.splice(0, 500);
    try {
      ok(fn());
    } catch (err) {
      const fault = err instanceof AwsFault ? err : new AwsFault('InternalFailure', (err as Error).message, 500);
      call.error = fault.code;
      fail(fault);
    }
  }
}

export async function startAwsSimulator(options?: AwsSimulatorOptions): Promise<AwsSimulator> {
  return new AwsSimulator(options).listen();
}
