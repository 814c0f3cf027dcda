import type { Services } from '../../src/core/services.js';
import { environmentHelpers, type CommandContext } from '../../src/core/context.js';

/**
 * Services for a test that uses only some of them: the given ports are real
 * or small fakes; touching any other one fails the test with its name, instead
 * of a cast that lets `undefined` through.
 */
export function fakeServices(given: Partial<Services>): Services {
  return new Proxy(given, {
    get(target, key) {
      if (key in target) return target[key as keyof Services];
      if (typeof key === 'symbol' || key === 'then') return undefined;
      throw new Error(`this test gave no services.${key}; pass it to fakeServices()`);
    },
  }) as Services;
}

/** A command context as the router builds it, over the given services. */
export function contextWith(
  services: Services,
  base: Omit<CommandContext, 'services' | 'aws' | 'db' | 'docker' | 'pm2'>,
): CommandContext {
  const ctx: CommandContext = {
    ...base,
    services,
    aws: (options) => environmentHelpers(services, base.envName, base.env).aws(options),
    db: () => environmentHelpers(services, base.envName, base.env).db(),
    docker: () => environmentHelpers(services, base.envName, base.env).docker(),
    pm2: () => environmentHelpers(services, base.envName, base.env).pm2(),
  };
  return ctx;
}
