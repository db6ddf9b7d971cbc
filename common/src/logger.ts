import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * The project's logger. LOG_LEVEL sets the level (default info, silent in tests). On a terminal
 * outside production, lines are pretty-printed (pino-pretty) for a person; everywhere else (files,
 * pipes, containers, NODE_ENV=production) one JSON object per line. LOG_FORMAT=json|pretty forces one.
 */
export function createLogger(service: string, level = process.env['LOG_LEVEL'] ?? defaultLevel()): Logger {
  const options: LoggerOptions = { name: service, level, base: { service } };
  if (!prettyOutput()) return pino(options);
  return pino({
    ...options,
    transport: {
      target: 'pino-pretty',
      options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' },
    },
  });
}

function prettyOutput(): boolean {
  const format = process.env['LOG_FORMAT'];
  if (format === 'json') return false;
  if (format === 'pretty') return true;
  return process.stdout.isTTY && process.env['NODE_ENV'] !== 'production';
}

function defaultLevel(): string {
  return process.env['VITEST'] ? 'silent' : 'info';
}
