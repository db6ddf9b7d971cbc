import type { JwtConfig } from '../config/jwt.js';
import type { EventBus } from '../events/bus.js';
import type { Topics } from '../events/topics.js';
import type { Logger } from '../logger.js';
import type { RunningSubgraph } from './subgraph.js';

/** Where a subgraph keeps its data. */
export type StorageLocation =
  /** Files of its own in `dataDir` (SQLite through TypeORM, or the JSON document store). */
  | { readonly mode: 'embedded'; readonly dataDir: string }
  /** Its own database on the server its descriptor names: a postgres:// or mongodb:// URL with the database in the path. */
  | { readonly mode: 'servers'; readonly url: string };

/** An account created at start unless a user already has this email (the users subgraph seeds it). */
export interface AdminAccount {
  readonly email: string;
  readonly password: string;
}

/**
 * The rules of the orders subgraph that operators set (ORDER_* variables; README "Configuration"):
 * how long an order may stay unpaid, and the caps against hoarding stock in unpaid orders.
 */
export interface OrderPolicy {
  /** An order not paid this long after placement expires and its stock is released. */
  readonly paymentTtlSeconds: number;
  /** Open (PENDING or CONFIRMED) orders one customer may have at once: TOO_MANY_OPEN_ORDERS beyond. */
  readonly maxOpenOrdersPerCustomer: number;
  /** Units of one product in one order: QUANTITY_LIMIT beyond. */
  readonly maxQuantityPerLine: number;
}

/** What a subgraph is started with. The caller owns (and closes) the bus. */
export interface SubgraphDeps {
  readonly bus: EventBus<Topics>;
  /** The private key is present only for a descriptor with `signsTokens`. */
  readonly jwt: JwtConfig;
  readonly logger: Logger;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  readonly admin?: AdminAccount;
  /** The consumer group of its event handlers; default: its name. */
  readonly consumerGroup?: string;
  /** Read by the orders subgraph; what is left out takes its default. */
  readonly orderPolicy?: Partial<OrderPolicy>;
}

/** A subgraph's storage, opened (connected, migrated, indexed) and ready to start the subgraph on. */
export interface OpenedSubgraph {
  start(deps: SubgraphDeps): Promise<RunningSubgraph>;
  /** Closes the storage; close the running subgraph first. */
  close(): Promise<void>;
}

/**
 * One subgraph, as the supergraph runtime, composition, codegen and the gateway's configuration
 * see it. Importing a descriptor loads no driver: `open` loads the subgraph's code.
 */
export interface SubgraphDescriptor<Name extends string = string> {
  readonly name: Name;
  /** Its port when run as its own process (and in schema/supergraph.graphql). */
  readonly port: number;
  /** Absolute path of its SDL file, schema/<name>.graphql. */
  readonly sdlPath: string;
  /** The server its data lives on outside the embedded mode. */
  readonly server: 'postgres' | 'mongodb';
  /** Whether it signs access tokens (and so gets the private key). */
  readonly signsTokens: boolean;
  /** GraphQL type -> model type mappers for its generated resolver types (codegen.ts). */
  readonly codegenMappers: Readonly<Record<string, string>>;
  open(location: StorageLocation): Promise<OpenedSubgraph>;
}
