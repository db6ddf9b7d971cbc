import {
  mongoDatabaseName,
  readServiceConfig,
  readString,
  type Env,
  type ServiceConfig,
} from '@commerce/common/config';

/** Settings of the orders process (main.ts). */
export interface OrdersConfig extends ServiceConfig {
  /** MONGODB_URL, required. */
  readonly mongodbUrl: string;
  /** The database named by MONGODB_URL's path (mongodb://host:27017/<name>). */
  readonly dbName: string;
}

/** Reads the environment once into a frozen config; fails naming the missing or invalid variable. */
export function loadConfig(env: Env): OrdersConfig {
  const mongodbUrl = readString(env, 'MONGODB_URL');
  return Object.freeze({
    ...readServiceConfig(env, 4004),
    mongodbUrl,
    dbName: mongoDatabaseName(mongodbUrl),
  });
}
