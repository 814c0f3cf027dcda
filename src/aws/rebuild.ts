import type { AwsSession } from './session.js';
import { beanstalk } from './sdk.js';

/** Beanstalk RebuildEnvironment: deletes and recreates the environment's resources (instances, ASG, load balancer). */
export async function rebuildEbEnvironment(s: AwsSession, environment: string): Promise<void> {
  await s.call('elasticbeanstalk:RebuildEnvironment', (abortSignal) =>
    s.clients.beanstalk.send(new beanstalk.RebuildEnvironmentCommand({ EnvironmentName: environment }), {
      abortSignal,
    }),
  );
}
