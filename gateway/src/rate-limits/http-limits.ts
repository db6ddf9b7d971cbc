import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ApolloServerPlugin, BaseContext, GraphQLRequestContext } from '@apollo/server';
import type { Logger } from '@commerce/common/logger';
import {
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type FieldNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { Budgets, Take } from './budgets.js';
import { clientAddress } from './client-address.js';
import type { RateLimitMetrics } from './metrics.js';
import { rateLimited } from './refusal.js';
import type { RateName } from './settings.js';

/** The Mutation fields with a budget of their own, besides the request itself. */
const countedFields = new Set(['login', 'register', 'refreshToken']);

/** One login field of a request: where its result lands, and whose budget it spends. */
interface LoginAttempt {
  readonly responseKey: string;
  readonly account: string | undefined;
}

/**
 * The HTTP side of the rate limits, in Apollo Server: every request spends from its address's
 * request budget (in the context function, before the document is parsed); `login`, `register` and
 * `refreshToken` fields spend from their own budgets once the operation is known, one unit per
 * field, aliases included. A login that returns a session gives its units back, so only failed
 * logins count. A spent budget answers 429 with Retry-After and RATE_LIMITED.
 */
export class HttpRateLimits {
  /** The client address of each request's context. */
  private readonly addresses = new WeakMap<object, string>();

  constructor(
    private readonly budgets: Budgets,
    private readonly trustedProxies: number,
    private readonly metrics: RateLimitMetrics,
    private readonly logger: Logger,
  ) {}

  /** Wraps the context function: refuses the request when its address has no request left. */
  contextWith<C extends object>(
    build: (request: IncomingMessage, correlationId: string) => Promise<C>,
  ): (request: IncomingMessage, correlationId: string) => Promise<C> {
    return async (request, correlationId) => {
      const address = clientAddress(request, this.trustedProxies);
      await this.spend([{ rate: 'requestsPerAddress', key: address, points: 1 }]);
      const context = await build(request, correlationId);
      this.addresses.set(context, address);
      return context;
    };
  }

  plugin<C extends BaseContext>(): ApolloServerPlugin<C> {
    return {
      requestDidStart: () => {
        let logins: readonly LoginAttempt[] = [];
        let address = '';
        return Promise.resolve({
          didResolveOperation: async (request: GraphQLRequestContext<C>) => {
            if (request.operation?.operation !== OperationTypeNode.MUTATION) return;
            const fields = rootFields(request.document, request.operation.selectionSet);
            if (fields.length === 0) return;
            address = this.addresses.get(request.contextValue) ?? 'unknown';
            const variables = request.request.variables ?? {};
            const attempts = fields
              .filter((field) => field.name.value === 'login')
              .map((field) => ({
                responseKey: field.alias?.value ?? field.name.value,
                account: accountKey(argument(field, 'email', variables)),
              }));
            const count = (name: string): number =>
              fields.filter((field) => field.name.value === name).length;
            await this.spend([
              ...perKey(
                'loginFailuresPerAccount',
                attempts.flatMap(({ account }) => account ?? []),
              ),
              { rate: 'loginFailuresPerAddress', key: address, points: attempts.length },
              { rate: 'registrationsPerAddress', key: address, points: count('register') },
              { rate: 'refreshesPerAddress', key: address, points: count('refreshToken') },
            ]);
            logins = attempts;
          },
          willSendResponse: async (request: GraphQLRequestContext<C>) => {
            if (logins.length === 0) return;
            const body = request.response.body;
            const data = body?.kind === 'single' ? body.singleResult.data : undefined;
            const succeeded = logins.filter(({ responseKey }) => isObject(data?.[responseKey]));
            if (succeeded.length === 0) return;
            const takes: Take[] = [
              ...perKey(
                'loginFailuresPerAccount',
                succeeded.flatMap(({ account }) => account ?? []),
              ),
              { rate: 'loginFailuresPerAddress', key: address, points: succeeded.length },
            ];
            await this.budgets
              .giveBack(takes)
              .catch((error: unknown) => this.logger.warn({ err: error }, 'login budget not given back'));
          },
        });
      },
    };
  }

  /** Takes every non-empty take, or throws the RATE_LIMITED error of the spent budget. */
  private async spend(takes: readonly Take[]): Promise<void> {
    const outcome = await this.budgets.take(takes.filter(({ points }) => points > 0));
    if ('taken' in outcome) return;
    this.metrics.refused(outcome.rate);
    throw rateLimited(outcome);
  }
}

/** The counted fields at the root of the selection, through fragments and inline fragments. */
function rootFields(document: DocumentNode | undefined, selectionSet: SelectionSetNode): FieldNode[] {
  const fragments = new Map(
    (document?.definitions ?? []).flatMap((definition) =>
      definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [],
    ),
  );
  const collect = (selections: SelectionSetNode, seen: Set<string>): FieldNode[] =>
    selections.selections.flatMap((selection) => {
      switch (selection.kind) {
        case Kind.FIELD:
          return countedFields.has(selection.name.value) ? [selection] : [];
        case Kind.INLINE_FRAGMENT:
          return collect(selection.selectionSet, seen);
        case Kind.FRAGMENT_SPREAD: {
          const fragment = fragments.get(selection.name.value);
          if (!fragment || seen.has(fragment.name.value)) return [];
          return collect(fragment.selectionSet, new Set([...seen, fragment.name.value]));
        }
      }
    });
  return collect(selectionSet, new Set());
}

/** The argument's value when it is a string, literal or variable. */
function argument(field: FieldNode, name: string, variables: Record<string, unknown>): unknown {
  const value: ValueNode | undefined = field.arguments?.find((arg) => arg.name.value === name)?.value;
  if (value?.kind === Kind.STRING) return value.value;
  if (value?.kind === Kind.VARIABLE) return variables[value.name.value];
  return undefined;
}

/** The account an email names, as the users subgraph normalizes it, hashed (no emails in the table). */
function accountKey(email: unknown): string | undefined {
  if (typeof email !== 'string') return undefined;
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}

/** One take per distinct key, with as many points as it appears. */
function perKey(rate: RateName, keys: readonly string[]): Take[] {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts].map(([key, points]) => ({ rate, key, points }));
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}
