import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk';
import { RDSClient } from '@aws-sdk/client-rds';

export interface AwsMocks {
  eb: AwsClientStub<ElasticBeanstalkClient>;
  ecs: AwsClientStub<ECSClient>;
  rds: AwsClientStub<RDSClient>;
  cw: AwsClientStub<CloudWatchClient>;
  logs: AwsClientStub<CloudWatchLogsClient>;
  /** Application Auto Scaling (/ops autoscaling on ECS). */
  aas: AwsClientStub<ApplicationAutoScalingClient>;
  reset(): void;
  restore(): void;
}

/** Stubs every AWS client opsbot uses (all instances, so the app's own factory is covered too). */
export function mockAws(): AwsMocks {
  const m = {
    eb: mockClient(ElasticBeanstalkClient),
    ecs: mockClient(ECSClient),
    rds: mockClient(RDSClient),
    cw: mockClient(CloudWatchClient),
    logs: mockClient(CloudWatchLogsClient),
    aas: mockClient(ApplicationAutoScalingClient),
  };
  return {
    ...m,
    reset: () => Object.values(m).forEach((c) => c.reset()),
    restore: () => Object.values(m).forEach((c) => c.restore()),
  };
}

/** An error shaped like the SDK's service exceptions (name, $metadata, $fault). */
export function awsError(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: name.includes('Denied') ? 403 : 400, attempts: 1 },
    ...extra,
  });
}

/** A call that never answers: the command must give up at its deadline. */
export function hang(): Promise<never> {
  return new Promise(() => undefined);
}
