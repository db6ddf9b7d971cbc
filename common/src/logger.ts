import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stdout; LOG_LEVEL sets the level (default info, silent in tests). */
export function createLogger(service: string, level = process.env['LOG_LEVEL'] ?? defaultLevel()): Logger {
  return pino({ name: service, level, base: { service } });
}

function defaultLevel(): string {
  return process.env['VITEST'] ? 'silent' : 'info';
}
