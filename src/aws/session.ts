import { TimeoutError, UserError, isUserError, withTimeout } from '../errors.js';
import type { AwsClients } from './clients.js';

/** What kind of AWS problem a call ran into; views phrase advice from it. */
export type AwsProblemKind = 'denied' | 'throttled' | 'timeout' | 'not-found' | 'credentials' | 'network' | 'other';

/** An AWS failure phrased as advice (shown as is, like every UserError). */
export class AwsError extends UserError {
  constructor(
    message: string,
    readonly kind: AwsProblemKind,
    readonly action: string,
  ) {
    super(message);
  }
}

const SERVICE_LABEL: Record<string, string> = {
  ecs: 'ECS',
  elasticbeanstalk: 'Elastic Beanstalk',
  rds: 'RDS',
  cloudwatch: 'CloudWatch',
  logs: 'CloudWatch Logs',
  autoscaling: 'Auto Scaling',
  elasticloadbalancing: 'Elastic Load Balancing',
  cloudfront: 'CloudFront',
  ce: 'Cost Explorer',
  'application-autoscaling': 'Application Auto Scaling',
  s3: 'S3',
};

/** "ecs:DescribeServices" → "ECS DescribeServices", the name users see in timeouts and errors. */
export function callLabel(action: string): string {
  const [service, op] = action.split(':');
  return `${SERVICE_LABEL[service] ?? service} ${op}`;
}

const DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedException',
  'AuthorizationError',
  'NotAuthorized',
]);
const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'LimitExceededException',
  'SlowDown',
]);
const CREDENTIALS = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'TimeoutError',
]);

interface SdkErrorLike {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: unknown;
  $retryable?: { throttling?: boolean };
}

function isThrottling(err: SdkErrorLike): boolean {
  return THROTTLED.has(err.name ?? '') || err.$retryable?.throttling === true;
}

/** Errors that came from AWS or the network, as opposed to bugs in opsbot. */
function isAwsLike(err: SdkErrorLike): boolean {
  return (
    err.$metadata !== undefined ||
    CREDENTIALS.has(err.name ?? '') ||
    NETWORK_CODES.has(err.code ?? '') ||
    NETWORK_CODES.has(err.name ?? '')
  );
}

export interface AwsSessionOptions {
  /** Overall budget for every call of one command; later calls get what is left. */
  deadlineMs?: number;
  /** First backoff after throttling; doubles each retry. */
  backoffMs?: number;
  maxThrottleRetries?: number;
  /** Where to send people for the policy (AccessDenied advice). */
  policyHint?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * One command's conversation with AWS: every call gets a deadline (so the reply
 * comes within 5 s and names the slow call), throttling is retried with backoff
 * and noted, and AWS errors become plain advice.
 */
export class AwsSession {
  /** Things worth telling the user even when every call succeeded (retries after throttling). */
  readonly notes: string[] = [];
  private readonly deadline: number;
  private readonly backoffMs: number;
  private readonly maxRetries: number;

  constructor(
    readonly clients: AwsClients,
    private readonly options: AwsSessionOptions = {},
  ) {
    this.deadline = Date.now() + (options.deadlineMs ?? 4000);
    this.backoffMs = options.backoffMs ?? 200;
    this.maxRetries = options.maxThrottleRetries ?? 3;
  }

  get region(): string | undefined {
    return this.clients.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  }

  private remaining(): number {
    // Rounded so the message reads "after 4s", not "after 3.99s".
    return Math.max(300, Math.round((this.deadline - Date.now()) / 100) * 100);
  }

  /** Runs one AWS call, named by its IAM action ("ecs:DescribeServices"). */
  async call<T>(action: string, send: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    const label = callLabel(action);
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await withTimeout(label, this.remaining(), send);
        if (attempt > 0) this.notes.push(`${label} was throttled; retried ${attempt}× with backoff.`);
        return result;
      } catch (err) {
        if (err instanceof TimeoutError || isUserError(err)) throw err;
        const e = (err ?? {}) as SdkErrorLike;
        if (isThrottling(e)) {
          const wait = this.backoffMs * 2 ** attempt * (0.75 + Math.random() / 2);
          if (attempt < this.maxRetries && Date.now() + wait < this.deadline - 200) {
            await sleep(wait);
            continue;
          }
          throw new AwsError(
            `AWS is throttling ${label} (retried ${attempt}× with backoff). Try again in a minute; if it keeps happening, something else is calling this API heavily.`,
            'throttled',
            action,
          );
        }
        throw this.translate(action, label, e, err);
      }
    }
  }

  private translate(action: string, label: string, e: SdkErrorLike, original: unknown): Error {
    const name = e.name ?? '';
    const detail = (e.message ?? '').split('\n')[0];
    if (name.startsWith('InsufficientPrivileges')) {
      return new AwsError(
        `${label}: Elastic Beanstalk needs opsbot's role to also read the resources underneath (cloudformation:DescribeStackResources, autoscaling:DescribeAutoScalingGroups, elasticloadbalancing:DescribeLoadBalancers, ec2:DescribeInstances). Add them to its policy${this.options.policyHint ? ` (${this.options.policyHint})` : ''}.`,
        'denied',
        action,
      );
    }
    if (DENIED.has(name) || /not authorized to perform/i.test(detail)) {
      return new AwsError(
        `AWS denied ${label}: opsbot's IAM role lacks \`${action}\`. Add \`${action}\` to its policy${this.options.policyHint ? ` (${this.options.policyHint})` : ''}.`,
        'denied',
        action,
      );
    }
    if (CREDENTIALS.has(name)) {
      const problem =
        name === 'CredentialsProviderError'
          ? 'opsbot found no AWS credentials'
          : `AWS rejected opsbot's credentials (${name})`;
      return new AwsError(
        `${label}: ${problem}. Check AWS_PROFILE / AWS_ACCESS_KEY_ID or the instance role, then try again.`,
        'credentials',
        action,
      );
    }
    if (/NotFound|DoesNotExist|NoSuch/i.test(name)) {
      return new AwsError(`${label}: ${detail || name}`, 'not-found', action);
    }
    if (NETWORK_CODES.has(e.code ?? '') || NETWORK_CODES.has(name)) {
      return new AwsError(
        `${label} unreachable (${e.code ?? name}). Check AWS_REGION / AWS_ENDPOINT_URL and the network.`,
        'network',
        action,
      );
    }
    if (isAwsLike(e)) return new AwsError(`${label} failed: ${name}${detail ? ` — ${detail}` : ''}`, 'other', action);
    return original instanceof Error ? original : new Error(String(original));
  }
}

/** The outcome of one of several parallel parts: a failed part becomes a line, not a failed command. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: string };

/** Awaits a part; user-facing failures (timeouts, AWS advice) are kept as text, bugs still throw. */
export async function settle<T>(work: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await work };
  } catch (err) {
    if (isUserError(err)) return { ok: false, error: err.message };
    throw err;
  }
}

/** Every command's AWS budget: the reply must come within 5 s, so calls share 4 s. */
export const AWS_DEADLINE_MS = 4000;
export const POLICY_HINT = 'docs/aws-permissions.md has the whole policy; `src/aws/iam-actions.ts` has the list';
