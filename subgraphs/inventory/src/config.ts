import { readServiceConfig, readString, type Env, type ServiceConfig } from '@commerce/common/config';

/** The inventory process's settings. */
export interface InventoryConfig extends ServiceConfig {
  /** DATABASE_URL (PostgreSQL), required. */
  readonly databaseUrl: string;
}

/** Reads the environment once; fails naming the first missing variable. */
export function loadConfig(env: Env): InventoryConfig {
  return Object.freeze({ ...readServiceConfig(env, 4003), databaseUrl: readString(env, 'DATABASE_URL') });
}
