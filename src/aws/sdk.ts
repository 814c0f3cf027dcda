import { createRequire } from 'node:module';
import type * as AppAutoScaling from '@aws-sdk/client-application-auto-scaling';
import type * as AutoScaling from '@aws-sdk/client-auto-scaling';
import type * as CloudFront from '@aws-sdk/client-cloudfront';
import type * as CloudWatch from '@aws-sdk/client-cloudwatch';
import type * as Logs from '@aws-sdk/client-cloudwatch-logs';
import type * as CostExplorer from '@aws-sdk/client-cost-explorer';
import type * as Ecs from '@aws-sdk/client-ecs';
import type * as Beanstalk from '@aws-sdk/client-elastic-beanstalk';
import type * as Elbv2 from '@aws-sdk/client-elastic-load-balancing-v2';
import type * as Rds from '@aws-sdk/client-rds';
import type * as S3 from '@aws-sdk/client-s3';
import type * as S3Storage from '@aws-sdk/lib-storage';

const load = createRequire(import.meta.url);

/**
 * An AWS SDK package loaded on its first use (`new rds.RDSClient(…)`), not at start-up: the eleven
 * clients cost ~20 MB of RSS, and most processes use a few of them or none (an idle bot, `opsbot worker`
 * of a Docker-only install). The classes are the SDK's own, so aws-sdk-client-mock and `instanceof` see
 * the same ones. See docs/benchmarks.md, "Memory".
 */
function lazy<T extends object>(id: string): T {
  let sdk: T | undefined;
  return new Proxy({} as T, { get: (_target, key) => (sdk ??= load(id) as T)[key as keyof T] });
}

export const appAutoScaling = lazy<typeof AppAutoScaling>('@aws-sdk/client-application-auto-scaling');
export const autoScaling = lazy<typeof AutoScaling>('@aws-sdk/client-auto-scaling');
export const cloudfront = lazy<typeof CloudFront>('@aws-sdk/client-cloudfront');
export const cloudwatch = lazy<typeof CloudWatch>('@aws-sdk/client-cloudwatch');
export const logs = lazy<typeof Logs>('@aws-sdk/client-cloudwatch-logs');
export const costExplorer = lazy<typeof CostExplorer>('@aws-sdk/client-cost-explorer');
export const ecs = lazy<typeof Ecs>('@aws-sdk/client-ecs');
export const beanstalk = lazy<typeof Beanstalk>('@aws-sdk/client-elastic-beanstalk');
export const elbv2 = lazy<typeof Elbv2>('@aws-sdk/client-elastic-load-balancing-v2');
export const rds = lazy<typeof Rds>('@aws-sdk/client-rds');
export const s3 = lazy<typeof S3>('@aws-sdk/client-s3');
export const s3Storage = lazy<typeof S3Storage>('@aws-sdk/lib-storage');
