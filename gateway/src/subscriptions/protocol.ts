import { formatError } from '@commerce/common/errors';
import type { Logger } from '@commerce/common/logger';
import { GraphQLError } from 'graphql';
import { CloseCode } from 'graphql-ws';
import type { SubscriptionGuard } from '../rate-limits/socket-guard.js';
import { authenticateConnection } from './auth.js';
import { Connection, type Connections } from './connections.js';
import { accessTo } from './fields.js';
import { formatted, SharedFrames } from './frames.js';
import type { FanOutSettings } from './hub.js';
import type { SubscriptionArguments, PreparedSubscription, SubscriptionPlanner } from './planner.js';
import type { Resumption, StartPoint } from './resume.js';
import { subscriptionQuery } from '../trusted-documents/graphql-ws.js';
import { TrustedDocuments } from '../trusted-documents/trusted-documents.js';
import type { GraphqlWsOptions } from './ws-server.js';

/** What `onSubscribe` accepted, carried to graphql-ws's `subscribe` call as the context value. */
class AcceptedSubscription {
  constructor(
    /** graphql-ws's id of the subscription on its connection. */
    readonly id: string,
    readonly prepared: PreparedSubscription,
    readonly args: SubscriptionArguments,
    readonly connection: Connection,
    readonly start: StartPoint,
  ) {}
}

export interface ProtocolDependencies {
  readonly planner: SubscriptionPlanner;
  readonly resumption: Resumption;
  readonly connections: Connections;
  readonly jwtPublicKey: string;
  readonly logger: Logger;
  readonly guard?: SubscriptionGuard | undefined;
  /** Default: documents by text only (mode off). */
  readonly trustedDocuments?: TrustedDocuments | undefined;
  /** `sharedFrames`: the service writes each `next` frame (read at every frame; default true). */
  readonly fanOut?: Pick<FanOutSettings, 'sharedFrames'>;
}

/**
 * graphql-ws server options: authenticates `connection_init`, plans and authorizes each subscribe,
 * and streams results from the hub.
 *
 * - Token: `connection_init` payload `{ authorization: 'Bearer <token>' }` or `{ token: '<token>' }`;
 *   none = anonymous. A token that does not verify closes with 4401 and the reason ("Access token
 *   expired", "Invalid access token"); a valid one closes the connection with 4401 "Access token
 *   expired" when it expires.
 * - A subscription needing a viewer without one closes with 4401; one needing ADMIN, held by a
 *   customer, with 4403.
 * - Invalid operations and variables get a graphql-ws `error` message; the connection stays open.
 *   So does a document the trusted documents refuse (trusted-documents/graphql-ws.ts).
 */
export function graphqlWsOptions(deps: ProtocolDependencies): GraphqlWsOptions {
  const { planner, resumption, connections } = deps;
  const trustedDocuments = deps.trustedDocuments ?? TrustedDocuments.off();
  const fanOut = deps.fanOut ?? { sharedFrames: true };
  return {
    connectionInitWaitTimeout: 10_000,
    onConnect: async (ctx) => {
      const socket = ctx.extra.socket;
      const auth = authenticateConnection(ctx.connectionParams, deps.jwtPublicKey);
      if (auth.kind === 'refused') {
        socket.close(CloseCode.Unauthorized, auth.reason);
        return false;
      }
      if (deps.guard && !(await deps.guard.admit(socket, auth.kind === 'viewer' ? auth.viewer : null)))
        return false;
      const pending = (): number => Object.keys(ctx.subscriptions).length;
      const connection =
        auth.kind === 'viewer'
          ? new Connection(socket, auth.viewer, auth.authorization, pending)
          : new Connection(socket, null, undefined, pending);
      if (auth.kind === 'viewer') connection.expireAfter(auth.expiresInMs);
      connections.accept(connection);
      return true;
    },
    onSubscribe: async (ctx, id, payload) => {
      const connection = connections.get(ctx.extra.socket);
      if (!connection)
        return [new GraphQLError('Connection is closing', { extensions: { code: 'BAD_REQUEST' } })];
      const query = subscriptionQuery(payload, trustedDocuments);
      if (typeof query !== 'string') return query;
      const prepared = planner.prepare(query, payload.operationName);
      if (isErrors(prepared)) return prepared;
      const access = accessTo(prepared.field, connection.viewer);
      if (access !== 'allowed') {
        const unauthenticated = access === 'unauthenticated';
        const reason = unauthenticated
          ? `Unauthorized: ${prepared.field} needs an access token`
          : `Forbidden: ${prepared.field} needs the ADMIN role`;
        connection.socket.close(unauthenticated ? CloseCode.Unauthorized : CloseCode.Forbidden, reason);
        return [
          new GraphQLError(reason, {
            extensions: { code: unauthenticated ? 'UNAUTHENTICATED' : 'FORBIDDEN' },
          }),
        ];
      }
      const args = planner.argumentsOf(prepared, payload.variables);
      if (isErrors(args)) return args;
      const start = await resumption.startPoint(prepared.field, args.args);
      if (isErrors(start)) return start;
      const refused = await deps.guard?.subscribe(connection.socket, id, prepared.key);
      if (refused) return refused;
      return {
        schema: planner.apiSchema,
        document: prepared.document,
        operationName: prepared.operationName,
        variableValues: args.variables,
        contextValue: new AcceptedSubscription(id, prepared, args, connection, start),
      };
    },
    subscribe: (args) => {
      const accepted = args.contextValue;
      if (!(accepted instanceof AcceptedSubscription)) {
        return {
          errors: [
            new GraphQLError('Subscription was not prepared', { extensions: { code: 'BAD_REQUEST' } }),
          ],
        };
      }
      const stream = resumption.start(
        {
          prepared: accepted.prepared,
          variables: accepted.args.variables,
          args: accepted.args.args,
          connection: accepted.connection,
        },
        accepted.start,
      );
      return new SharedFrames(stream, accepted.connection.socket, accepted.id, fanOut);
    },
    execute: () => ({
      errors: [
        new GraphQLError('Send queries and mutations to POST /graphql', {
          extensions: { code: 'BAD_REQUEST' },
        }),
      ],
    }),
    onComplete: (ctx, id) => deps.guard?.completed(ctx.extra.socket, id),
    // Results of `subscribe` that graphql-ws sends itself (refusals, and every result without sharedFrames).
    onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? formatted(result) : undefined),
    onError: (_ctx, _id, _payload, errors) => errors.map((error) => formatError(error.toJSON(), error)),
  };
}

function isErrors<T extends object>(value: T | readonly GraphQLError[]): value is readonly GraphQLError[] {
  return Array.isArray(value);
}
