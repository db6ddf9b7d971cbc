import {
  executeQueryPlan,
  type GraphQLDataSource,
  type GraphQLDataSourceProcessOptions,
  type ServiceMap,
} from '@apollo/gateway';
import type { Viewer } from '@commerce/common/auth';
import type { Logger } from '@commerce/common/logger';
import {
  execute,
  GraphQLError,
  parse,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import type { GatewayContext } from '../context.js';
import { CarriedEntityDataSource, carriedEntityKey, type CarriedEntity } from './carried-entities.js';
import type { PreparedSubscription, SubscriptionPlanner } from './planner.js';

type RequestContext = Parameters<typeof executeQueryPlan>[2];
type DataSourceResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;
type IncomingOperation = Extract<GraphQLDataSourceProcessOptions, { incomingRequestContext: unknown }>;
/** @apollo/gateway's GraphQLDataSourceRequestKind.INCOMING_OPERATION: the enum is not exported. */
const incomingOperation = 'incoming operation' as IncomingOperation['kind'];

/** Where the event's primary result travels in the query plan's context, to `EventDataSource`. */
const eventRootKey = 'subscriptionEventRoot';

/** The context of one execution: what the HTTP subgraphs need (token, correlation id) plus the event. */
interface EventContext extends GatewayContext {
  readonly [eventRootKey]: Record<string, unknown>;
  readonly [carriedEntityKey]: CarriedEntity | undefined;
}

/**
 * Stands in for the `subscriptions` subgraph during a subscription's execution: answers the plan's
 * primary fetch by executing it against that subgraph's schema with the event as the root value,
 * so aliases, `__typename` and entity references come out exactly as the planner expects.
 */
export class EventDataSource implements GraphQLDataSource {
  private readonly documents = new Map<string, DocumentNode>();

  constructor(private readonly schema: GraphQLSchema) {}

  async process(options: GraphQLDataSourceProcessOptions): Promise<DataSourceResponse> {
    // Health checks and schema loads carry no operation of a client.
    if (!('incomingRequestContext' in options)) return { data: {} };
    const rootValue: unknown = options.context[eventRootKey];
    const query = options.request.query ?? '';
    let document = this.documents.get(query);
    if (!document) {
      document = parse(query);
      if (this.documents.size < 1_000) this.documents.set(query, document);
    }
    const result = await execute({
      schema: this.schema,
      document,
      rootValue,
      variableValues: options.request.variables,
    });
    return {
      data: result.data ?? null,
      ...(result.errors ? { errors: result.errors.map((error) => error.toJSON()) } : {}),
    };
  }
}

/** One execution of a prepared subscription for one event on behalf of one viewer scope. */
export interface EventExecution {
  readonly prepared: PreparedSubscription;
  readonly variables: Record<string, unknown>;
  /** The event shaped as the primary fetch's result (`primaryRootValue`). */
  readonly rootValue: Record<string, unknown>;
  /** Forwarded to every subgraph, which enforces visibility itself. */
  readonly authorization: string | undefined;
  readonly viewer: Viewer | null;
  /** The event's correlation id, so that subgraph logs tie back to the change. */
  readonly correlationId: string;
  /** An entity whose state the event carries, answered from it instead of its subgraph. */
  readonly carried?: CarriedEntity;
}

const noCache: RequestContext['cache'] = {
  get: () => Promise.resolve(undefined),
  set: () => Promise.resolve(),
  delete: () => Promise.resolve(true),
};

/** Runs subscription plans through @apollo/gateway's `executeQueryPlan`. */
export class EventExecutor {
  private readonly serviceMap: ServiceMap;

  constructor(
    private readonly planner: SubscriptionPlanner,
    subgraphs: ServiceMap,
    private readonly logger: Logger,
  ) {
    const carrying = Object.entries(subgraphs).map(
      ([name, source]) => [name, new CarriedEntityDataSource(name, source)] as const,
    );
    this.serviceMap = {
      ...Object.fromEntries(carrying),
      subscriptions: new EventDataSource(planner.subscriptionsSchema),
    };
  }

  /** The client's result for the event: data shaped to its selection, and any subgraph errors. */
  async execute(execution: EventExecution): Promise<ExecutionResult> {
    const { prepared } = execution;
    const requestContext = this.requestContext(execution);
    try {
      const result = await executeQueryPlan(
        prepared.plan,
        this.serviceMap,
        requestContext,
        prepared.operationContext,
        this.planner.supergraphSchema,
        this.planner.federationApiSchema,
      );
      return { data: result.data ?? null, ...(result.errors ? { errors: result.errors } : {}) };
    } catch (error) {
      this.logger.error({ err: error, field: prepared.field }, 'subscription execution failed');
      return {
        data: null,
        errors: [
          new GraphQLError('Internal server error', { extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
        ],
      };
    }
  }

  /**
   * One query sent straight to a subgraph on behalf of the execution's viewer (a snapshot's
   * current state); the subgraph enforces visibility as for any request.
   */
  async query(
    subgraph: string,
    query: string,
    variables: Record<string, unknown>,
    execution: EventExecution,
  ): Promise<ExecutionResult> {
    const source = this.serviceMap[subgraph];
    if (!source) throw new Error(`Unknown subgraph ${subgraph}`);
    const incomingRequestContext = this.requestContext(execution);
    const response = await source.process({
      kind: incomingOperation,
      request: { query, variables },
      incomingRequestContext,
      context: incomingRequestContext.context,
      document: parse(query),
    });
    const errors = response.errors?.map(
      (error) => new GraphQLError(error.message, { extensions: error.extensions ?? {} }),
    );
    return { data: response.data ?? null, ...(errors ? { errors } : {}) };
  }

  private requestContext(execution: EventExecution): RequestContext {
    const { prepared, variables } = execution;
    const context: EventContext = {
      authorization: execution.authorization,
      correlationId: execution.correlationId,
      viewer: execution.viewer,
      logger: this.logger,
      [eventRootKey]: execution.rootValue,
      [carriedEntityKey]: execution.carried,
    };
    const requestContext: RequestContext = {
      request: { variables, operationName: prepared.operationName },
      logger: this.logger,
      schema: this.planner.apiSchema,
      schemaHash: '' as RequestContext['schemaHash'],
      context,
      cache: noCache,
      queryHash: prepared.key,
      document: prepared.document,
      source: prepared.key,
      operationName: prepared.operationName ?? null,
      operation: prepared.operationContext.operation,
      metrics: {},
      overallCachePolicy: undefined,
    };
    return requestContext;
  }
}
