import { pino, type Logger, type DestinationStream } from 'pino';
import { redactSecrets } from './redact.js';

export type { Logger };

/**
 * JSON logs. Known secret-bearing keys are censored by path; every string that
 * reaches a log line also passes through redactSecrets, so a connection URL
 * inside an error message is masked too.
 */
export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'opsbot' },
      redact: {
        paths: [
          'token',
          'password',
          '*.token',
          '*.password',
          'headers.authorization',
          'req.headers.authorization',
          'body.token',
        ],
        censor: '***',
      },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((arg) => (typeof arg === 'string' ? redactSecrets(arg) : arg)) as Parameters<typeof method>,
          );
        },
      },
      formatters: {
        log(object) {
          return JSON.parse(redactSecrets(JSON.stringify(object, errorReplacer)));
        },
      },
    },
    destination,
  );
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error)
    return { type: value.name, message: value.message, stack: value.stack, code: (value as { code?: unknown }).code };
  return value;
}
