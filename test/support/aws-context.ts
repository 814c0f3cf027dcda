import { contextWith, fakeServices } from './services.js';
import { parseConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/log.js';
import { AwsClientFactory } from '../../src/aws/clients.js';
import type { CommandContext } from '../../src/core/context.js';
import type { CommandDefinition } from '../../src/core/command.js';

/** ops.yml for the AWS command tests: prod on Beanstalk + RDS, staging on ECS, bare has nothing. */
export const AWS_CONFIG = `
environments:
  prod:
    region: us-east-1
    beanstalk: { application: expo-project, environment: expo-project-prod-env }
    rds: { instance: expo-project-prod-db }
    elasticache: { cluster: expo-project-prod-redis-001 }
    logs: { groups: ["/aws/elasticbeanstalk/expo-project-prod-env/var/log/web.stdout.log"] }
    alarms: { prefix: expo-project-prod }
  staging:
    region: us-east-1
    ecs: { cluster: expertconnect-prod-cluster, services: [expertconnect-prod-backend] }
    loadBalancer: "app/expertconnect-alb/50dc6c495c0c9188"
    logs: { groups: ["/ecs/expertconnect-prod-backend", "/ecs/expertconnect-prod-worker"] }
  bare:
    region: us-east-1
alerts:
  routes:
    - { match: { alarmName: "*-db-*" }, channel: C0DB, severity: P1 }
`;

export const NOW = new Date('2026-11-23T09:00:00Z');

/**
 * A handler's context without the runtime: the real AWS client factory (whose
 * clients aws-sdk-client-mock intercepts) and a fixed clock. Other services are absent.
 */
export function awsContext(
  command: CommandDefinition,
  envName: string,
  opts: { text?: string; now?: Date; configYaml?: string } = {},
): CommandContext {
  const { config } = parseConfig(opts.configYaml ?? AWS_CONFIG, {});
  const services = fakeServices({ aws: new AwsClientFactory(), clock: () => opts.now ?? NOW });
  return contextWith(services, {
    command,
    text: opts.text ?? command.name,
    envName,
    env: config.environments[envName],
    config,
    actor: { id: 'U0TEST' },
    source: 'cli',
    log: createLogger('silent'),
  });
}
