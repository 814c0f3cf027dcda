// CloudFront (REST-XML, API version 2020-05-31): one distribution in front of the fleet's web app,
// its monitoring subscription, and invalidations that go from InProgress to Completed on a timer.
// CloudFront's metrics are in cloudfront-signals.ts (the simulated CloudWatch serves them).
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { AwsFault } from './protocol.js';
import type { Fleet } from './fleet.js';

export const CLOUDFRONT_PREFIX = '/2020-05-31/';
export const DEMO_DISTRIBUTION = 'E2DEMO0CDN0PROD';
const XMLNS = 'http://cloudfront.amazonaws.com/doc/2020-05-31/';
/** How long an invalidation takes in the demo (before the fleet's time scale); real ones take a minute or more. */
export const INVALIDATION_MS = 12_000;

interface Invalidation {
  id: string;
  status: 'InProgress' | 'Completed';
  created: Date;
  paths: string[];
  callerReference: string;
}

/** Invalidations per fleet: the fleet is the simulator's state, this keeps CloudFront's beside it. */
const state = new WeakMap<Fleet, Invalidation[]>();
const invalidationsOf = (f: Fleet) => {
  let list = state.get(f);
  if (!list) state.set(f, (list = []));
  return list;
};

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const unesc = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
const items = (name: string, member: string, values: string[]) =>
  `<${name}><Quantity>${values.length}</Quantity>${values.length ? `<Items>${values.map((v) => `<${member}>${esc(v)}</${member}>`).join('')}</Items>` : ''}</${name}>`;

function distributionXml(f: Fleet): string {
  const busy = invalidationsOf(f).filter((i) => i.status === 'InProgress').length;
  const origin = `${f.names.application}-prod-frontend.s3.${f.names.region}.amazonaws.com`;
  return (
    `<Distribution xmlns="${XMLNS}"><Id>${DEMO_DISTRIBUTION}</Id>` +
    `<ARN>arn:aws:cloudfront::${f.names.account}:distribution/${DEMO_DISTRIBUTION}</ARN>` +
    `<Status>Deployed</Status><LastModifiedTime>${new Date(f.startedAt - 3 * 86_400_000).toISOString()}</LastModifiedTime>` +
    `<InProgressInvalidationBatches>${busy}</InProgressInvalidationBatches>` +
    `<DomainName>d1demo2cdn3abc.cloudfront.net</DomainName>` +
    `<DistributionConfig><CallerReference>${f.names.application}-frontend</CallerReference>` +
    items('Aliases', 'CNAME', [`app.${f.names.application}.example.com`]) +
    `<DefaultRootObject>index.html</DefaultRootObject>` +
    `<Origins><Quantity>1</Quantity><Items><Origin><Id>s3-frontend</Id><DomainName>${origin}</DomainName></Origin></Items></Origins>` +
    `<DefaultCacheBehavior><TargetOriginId>s3-frontend</TargetOriginId><ViewerProtocolPolicy>redirect-to-https</ViewerProtocolPolicy></DefaultCacheBehavior>` +
    `<Comment>${esc(`${f.names.application} production frontend`)}</Comment><PriceClass>PriceClass_100</PriceClass><Enabled>true</Enabled>` +
    `</DistributionConfig></Distribution>`
  );
}

function invalidationXml(i: Invalidation): string {
  return (
    `<Invalidation xmlns="${XMLNS}"><Id>${i.id}</Id><Status>${i.status}</Status><CreateTime>${i.created.toISOString()}</CreateTime>` +
    `<InvalidationBatch>${items('Paths', 'Path', i.paths)}<CallerReference>${esc(i.callerReference)}</CallerReference></InvalidationBatch></Invalidation>`
  );
}

export interface RestXmlAnswer {
  status: number;
  xml: string;
  headers?: Record<string, string>;
}

function requireDistribution(id: string): void {
  if (id !== DEMO_DISTRIBUTION)
    throw new AwsFault('NoSuchDistribution', 'The specified distribution does not exist.', 404);
}

function createInvalidation(f: Fleet, id: string, body: string): RestXmlAnswer {
  requireDistribution(id);
  const paths = [...body.matchAll(/<Path>([^<]*)<\/Path>/g)].map((m) => unesc(m[1]));
  const callerReference = unesc(/<CallerReference>([^<]*)<\/CallerReference>/.exec(body)?.[1] ?? '');
  if (!callerReference || paths.length === 0)
    throw new AwsFault('InvalidArgument', 'An InvalidationBatch needs a CallerReference and at least one path.');
  const list = invalidationsOf(f);
  const same = list.find((i) => i.callerReference === callerReference);
  if (same && same.paths.join('\n') !== paths.join('\n'))
    throw new AwsFault(
      'InvalidationBatchAlreadyExists',
      'The caller reference that you are using to create an invalidation batch is already in use.',
      409,
    );
  // The same CallerReference and paths: CloudFront answers with the invalidation it already made.
  const inv = same ?? {
    id: `I${randomUUID().replace(/-/g, '').slice(0, 13).toUpperCase()}`,
    status: 'InProgress' as const,
    created: new Date(f.now()),
    paths,
    callerReference,
  };
  if (!same) {
    list.unshift(inv);
    list.length = Math.min(list.length, 100);
    f.after(INVALIDATION_MS, () => void (inv.status = 'Completed'));
  }
  return {
    status: 201,
    xml: invalidationXml(inv),
    headers: {
      location: `https://cloudfront.amazonaws.com${CLOUDFRONT_PREFIX}distribution/${id}/invalidation/${inv.id}`,
    },
  };
}

/** The operations, by method and path, as CloudFront's REST API lays them out. */
const ROUTES: {
  op: string;
  method: string;
  path: RegExp;
  run: (f: Fleet, m: string[], body: string) => RestXmlAnswer;
}[] = [
  {
    op: 'GetDistribution',
    method: 'GET',
    path: /^distribution\/([^/]+)$/,
    run: (f, [id]) => (
      requireDistribution(id),
      { status: 200, xml: distributionXml(f), headers: { etag: 'E2DEMOETAG' } }
    ),
  },
  {
    op: 'GetMonitoringSubscription',
    method: 'GET',
    path: /^distributions\/([^/]+)\/monitoring-subscription$/,
    run: (_f, [id]) => (
      requireDistribution(id),
      {
        status: 200,
        xml: `<MonitoringSubscription xmlns="${XMLNS}"><RealtimeMetricsSubscriptionConfig><RealtimeMetricsSubscriptionStatus>Enabled</RealtimeMetricsSubscriptionStatus></RealtimeMetricsSubscriptionConfig></MonitoringSubscription>`,
      }
    ),
  },
  {
    op: 'CreateInvalidation',
    method: 'POST',
    path: /^distribution\/([^/]+)\/invalidation$/,
    run: (f, [id], body) => createInvalidation(f, id, body),
  },
  {
    op: 'GetInvalidation',
    method: 'GET',
    path: /^distribution\/([^/]+)\/invalidation\/([^/]+)$/,
    run: (f, [id, inv]) => {
      requireDistribution(id);
      const found = invalidationsOf(f).find((i) => i.id === inv);
      if (!found) throw new AwsFault('NoSuchInvalidation', 'The specified invalidation does not exist.', 404);
      return { status: 200, xml: invalidationXml(found) };
    },
  },
];

export const CLOUDFRONT_OPERATIONS = ROUTES.map((r) => r.op);

/** Which operation a request is, and how to answer it; an unknown path is an error CloudFront's way. */
export function cloudfrontRoute(
  method: string,
  url: string,
): { op: string; answer: (f: Fleet, body: string) => RestXmlAnswer } {
  const path = decodeURIComponent(url.slice(CLOUDFRONT_PREFIX.length).split('?')[0]);
  for (const r of ROUTES) {
    const m = r.method === method ? r.path.exec(path) : null;
    if (m) return { op: r.op, answer: (f, body) => r.run(f, m.slice(1), body) };
  }
  return {
    op: `${method} ${path}`,
    answer: () => {
      throw new AwsFault('InvalidAction', `The sandbox does not simulate CloudFront ${method} ${path}.`);
    },
  };
}

export function sendRestXml(res: ServerResponse, answer: RestXmlAnswer): void {
  res.writeHead(answer.status, { 'content-type': 'text/xml', 'x-amz-request-id': randomUUID(), ...answer.headers });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${answer.xml}`);
}

export function sendRestXmlError(res: ServerResponse, fault: AwsFault): void {
  const requestId = randomUUID();
  res.writeHead(fault.status, { 'content-type': 'text/xml', 'x-amz-request-id': requestId });
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${esc(fault.code)}</Code><Message>${esc(fault.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  );
}
