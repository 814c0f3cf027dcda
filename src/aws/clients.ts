import type { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { S3Client } from '@aws-sdk/client-s3';
import type { EnvironmentConfig } from '../config/schema.js';
import { AWS_DEADLINE_MS, AwsSession, POLICY_HINT, type AwsSessionOptions } from './session.js';
import {
  appAutoScaling,
  autoScaling,
  beanstalk,
  cloudfront,
  cloudwatch,
  costExplorer,
  ecs,
  elbv2,
  logs,
  rds,
  s3,
} from './sdk.js';

export interface AwsClients {
  region: string | undefined;
  cloudwatch: CloudWatchClient;
  logs: CloudWatchLogsClient;
  ecs: ECSClient;
  beanstalk: ElasticBeanstalkClient;
  rds: RDSClient;
  autoscaling: AutoScalingClient;
  /** Application Load Balancers: target groups and target health (/ops targets). */
  elbv2: ElasticLoadBalancingV2Client;
  /** CloudFront is global: its API is signed for us-east-1 whatever the region (/ops cdn). */
  cloudfront: CloudFrontClient;
  /** Cost Explorer has one endpoint, in us-east-1 (/ops cost). */
  costExplorer: CostExplorerClient;
  /** Application Auto Scaling: ECS services' scalable targets and policies (/ops autoscaling). */
  appAutoScaling: ApplicationAutoScalingClient;
  /** S3 copies of pg_dump backups (database.backup.s3): uploads get a longer per-request limit. */
  s3: S3Client;
}

/** Per-attempt limits; callers add an overall deadline so retries cannot add up to a hung command. */
const CLIENT_OPTIONS = {
  maxAttempts: 3,
  retryMode: 'standard',
  requestHandler: { connectionTimeout: 3000, requestTimeout: 5000 },
} as const;

/** A backup part (8 MB) may take longer than 5 s on a slow uplink; the upload's own deadline bounds the whole. */
const S3_OPTIONS = { ...CLIENT_OPTIONS, requestHandler: { connectionTimeout: 3000, requestTimeout: 120_000 } } as const;

/**
 * One set of SDK clients per region, created on first use. Credentials, endpoint
 * (AWS_ENDPOINT_URL and the per-service variables) and profile come from the
 * SDK's own chain, as the SDK documents.
 */
/** AWS as commands and jobs reach it: a session per piece of work, with the standard deadline and advice. */
export interface AwsAccess {
  /** A session for one command or job step: its calls share `deadlineMs` (default 4 s). */
  session(env: EnvironmentConfig, options?: AwsSessionOptions): AwsSession;
  /** The SDK clients of an environment's region, for followers that make their own sessions per poll. */
  forEnv(env: EnvironmentConfig): AwsClients;
  forRegion(region: string | undefined): AwsClients;
}

export class AwsClientFactory implements AwsAccess {
  session(env: EnvironmentConfig, options: AwsSessionOptions = {}): AwsSession {
    return new AwsSession(this.forEnv(env), { deadlineMs: AWS_DEADLINE_MS, policyHint: POLICY_HINT, ...options });
  }

  private readonly byRegion = new Map<string, AwsClients>();

  forEnv(env: EnvironmentConfig): AwsClients {
    return this.forRegion(env.region);
  }

  forRegion(region: string | undefined): AwsClients {
    const key = region ?? '(default)';
    let clients = this.byRegion.get(key);
    if (!clients) {
      const options = { ...CLIENT_OPTIONS, ...(region ? { region } : {}) };
      clients = {
        region,
        cloudwatch: new cloudwatch.CloudWatchClient(options),
        logs: new logs.CloudWatchLogsClient(options),
        ecs: new ecs.ECSClient(options),
        beanstalk: new beanstalk.ElasticBeanstalkClient(options),
        rds: new rds.RDSClient(options),
        autoscaling: new autoScaling.AutoScalingClient(options),
        elbv2: new elbv2.ElasticLoadBalancingV2Client(options),
        cloudfront: new cloudfront.CloudFrontClient({ ...options, region: 'us-east-1' }),
        costExplorer: new costExplorer.CostExplorerClient({ ...options, region: 'us-east-1' }),
        appAutoScaling: new appAutoScaling.ApplicationAutoScalingClient(options),
        s3: new s3.S3Client({ ...S3_OPTIONS, ...(region ? { region } : {}) }),
      };
      this.byRegion.set(key, clients);
    }
    return clients;
  }

  destroy(): void {
    for (const clients of this.byRegion.values()) {
      for (const client of [
        clients.cloudwatch,
        clients.logs,
        clients.ecs,
        clients.beanstalk,
        clients.rds,
        clients.autoscaling,
        clients.elbv2,
        clients.cloudfront,
        clients.costExplorer,
        clients.appAutoScaling,
        clients.s3,
      ])
        client.destroy();
    }
    this.byRegion.clear();
  }
}
