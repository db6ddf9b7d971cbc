import type { Viewer } from '@commerce/common/auth';
import type { Logger } from '@commerce/common/logger';
import type { ExecutionResult } from 'graphql';
import type { BacklogLimits } from './backlog.js';
import type { EventExecution } from './executor.js';
import {
  coalesceKey,
  matchesArguments,
  primaryRootValue,
  subscriptionFields,
  visibleTo,
  type FieldEvent,
  type SubscriptionField,
} from './fields.js';
import type { SubscriptionMetrics } from './metrics.js';
import type { PreparedSubscription } from './planner.js';
import { fanOutKey, scopeOf, type ViewerScope } from './scope.js';
import { SubscriberStream } from './stream.js';

/** The connection a subscriber belongs to, as the hub needs it. */
export interface SubscriberConnection {
  readonly viewer: Viewer | null;
  readonly authorization: string | undefined;
  /** Bytes its socket has not sent yet. */
  bufferedBytes(): number;
  /** Closes the connection of a subscriber that fell too far behind. */
  closeTooSlow(field: SubscriptionField): void;
}

/** One subscription to add: the prepared operation, its coerced variables and root arguments. */
export interface SubscriptionRequest {
  readonly prepared: PreparedSubscription;
  readonly variables: Record<string, unknown>;
  readonly args: Record<string, unknown>;
  readonly connection: SubscriberConnection;
}

export interface HubDependencies {
  readonly execute: (execution: EventExecution) => Promise<ExecutionResult>;
  readonly metrics: SubscriptionMetrics;
  readonly logger: Logger;
  readonly limits: BacklogLimits;
}

/** Subscribers that receive one shared result per event. */
interface FanOutGroup {
  readonly key: string;
  readonly prepared: PreparedSubscription;
  readonly variables: Record<string, unknown>;
  readonly args: Record<string, unknown>;
  readonly scope: ViewerScope;
  readonly members: Set<{ readonly stream: SubscriberStream; readonly connection: SubscriberConnection }>;
  /** Results are delivered in event order, while executions of later events already run. */
  delivery: Promise<void>;
}

/**
 * The fan-out: groups subscribers by (operation, variables, viewer scope); for each event and each
 * group whose arguments and visibility admit it, executes the plan once and hands the one result to
 * every member without waiting on any socket.
 */
export class SubscriptionHub {
  private readonly groups = new Map<SubscriptionField, Map<string, FanOutGroup>>();
  private subscribers = 0;

  constructor(private readonly deps: HubDependencies) {}

  /** Active subscriptions. */
  get size(): number {
    return this.subscribers;
  }

  subscribe(request: SubscriptionRequest): SubscriberStream {
    const { prepared, connection } = request;
    const field = prepared.field;
    // Public fields resolve only public data: every viewer shares one anonymous execution.
    const scope: ViewerScope =
      subscriptionFields[field].access === 'public' ? { kind: 'anonymous' } : scopeOf(connection.viewer);
    const key = fanOutKey(prepared.key, request.variables, scope);
    let byKey = this.groups.get(field);
    if (!byKey) this.groups.set(field, (byKey = new Map<string, FanOutGroup>()));
    let group = byKey.get(key);
    if (!group) {
      group = {
        key,
        prepared,
        variables: request.variables,
        args: request.args,
        scope,
        members: new Set(),
        delivery: Promise.resolve(),
      };
      byKey.set(key, group);
    }
    const { metrics } = this.deps;
    const joined = group;
    const stream: SubscriberStream = new SubscriberStream({
      limits: this.deps.limits,
      bufferedBytes: () => connection.bufferedBytes(),
      onOverflow: () => {
        metrics.slowClosed.inc({ field });
        connection.closeTooSlow(field);
      },
      onCoalesced: () => metrics.coalesced.inc({ field }),
      onDeliver: (delivery) => {
        metrics.eventsDelivered.inc({ field });
        metrics.deliveryLatency.observe({ field }, Math.max(0, Date.now() - delivery.occurredAtMs) / 1000);
      },
      onEnd: () => {
        joined.members.delete(member);
        if (joined.members.size === 0 && byKey.get(key) === joined) byKey.delete(key);
        this.subscribers -= 1;
        metrics.subscriptions.dec({ field });
      },
    });
    const member = { stream, connection };
    group.members.add(member);
    this.subscribers += 1;
    metrics.subscriptions.inc({ field });
    return stream;
  }

  /** Fans one consumed event out to the groups of its field. Never waits on subscribers. */
  dispatch(input: FieldEvent): void {
    const groups = this.groups.get(input.field);
    if (!groups || groups.size === 0) return;
    const occurredAtMs = Date.parse(input.event.metadata.occurredAt);
    const key = coalesceKey(input);
    let rootValue: Record<string, unknown> | undefined;
    for (const group of groups.values()) {
      if (!matchesArguments(input, group.args) || !visibleTo(input, group.scope)) continue;
      const representative = group.members.values().next();
      if (representative.done) continue;
      rootValue ??= primaryRootValue(input);
      this.deps.metrics.executions.inc({ field: input.field });
      const pending = this.deps.execute({
        prepared: group.prepared,
        variables: group.variables,
        rootValue,
        // An anonymous scope executes anonymously, whoever the representative subscriber is.
        authorization:
          group.scope.kind === 'anonymous' ? undefined : representative.value.connection.authorization,
        viewer: group.scope.kind === 'anonymous' ? null : representative.value.connection.viewer,
        correlationId: input.event.metadata.correlationId,
      });
      group.delivery = group.delivery
        .then(() => pending)
        .then((result) => {
          for (const member of group.members) member.stream.push({ result, occurredAtMs }, key);
        })
        .catch((error: unknown) => this.deps.logger.error({ err: error }, 'subscription delivery failed'));
    }
  }

  /** Ends every subscription (shutdown): queued results go out, then `complete`. */
  endAll(): void {
    for (const groups of this.groups.values()) {
      for (const group of groups.values()) for (const member of [...group.members]) member.stream.end();
    }
  }
}
