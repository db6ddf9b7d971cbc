import type { Logger } from '@commerce/common/logger';
import type { ExecutionResult } from 'graphql';
import type { BacklogLimits } from './backlog.js';
import type { EventExecution } from './executor.js';
import type { CarriedEntity } from './carried-entities.js';
import {
  coalesceKey,
  matchesArguments,
  carriedEntity,
  primaryRootValue,
  subscriptionFields,
  visibleTo,
  type SubscriptionField,
} from './fields.js';
import type { SubscriptionMetrics } from './metrics.js';
import { sharedVariables, type PreparedSubscription } from './planner.js';
import { fanOutKey, scopeOf, type ViewerScope } from './scope.js';
import { SubscriberStream } from './stream.js';
import { Subscriber, withExtensions, type PositionedEvent, type SubscriberConnection } from './subscriber.js';
import type { LogPosition } from '@commerce/common/events';

export type { SubscriberConnection } from './subscriber.js';

/** One subscription to add: the prepared operation, its coerced variables and root arguments. */
export interface SubscriptionRequest {
  readonly prepared: PreparedSubscription;
  readonly variables: Record<string, unknown>;
  readonly args: Record<string, unknown>;
  readonly connection: SubscriberConnection;
}

/** How results reach the sockets; the benchmark flips them to compare (the defaults are the fast ways). */
export interface FanOutSettings {
  /** Subscribers handed one result before the fan-out yields to the event loop (default 500). */
  chunk: number;
  /**
   * Each `next` frame written by the service with its payload serialised once per result, i.e.
   * once per fan-out group and event (default true); false: through graphql-ws, once per subscriber.
   */
  sharedFrames: boolean;
}

export const defaultFanOut: FanOutSettings = { chunk: 500, sharedFrames: true };

export interface HubDependencies {
  readonly execute: (execution: EventExecution) => Promise<ExecutionResult>;
  readonly metrics: SubscriptionMetrics;
  readonly logger: Logger;
  readonly limits: BacklogLimits;
  /** The cursor of a position in `field`'s topic. */
  readonly cursorOf: (field: SubscriptionField, position: LogPosition) => string;
  /** Read at every fan-out (the service may change them while running). */
  readonly fanOut: FanOutSettings;
}

/**
 * Subscribers that receive one shared result per event: same operation, same variables (but the
 * resume arguments `after` and `initial`), same viewer scope.
 */
export class FanOutGroup {
  readonly members = new Set<Subscriber>();
  /** Results are delivered in event order, while executions of later events already run. */
  delivery: Promise<void> = Promise.resolve();

  constructor(
    readonly key: string,
    readonly prepared: PreparedSubscription,
    readonly variables: Record<string, unknown>,
    readonly args: Record<string, unknown>,
    readonly scope: ViewerScope,
  ) {}

  /** Whether the event passes this group's arguments and visibility (before any upstream fetch). */
  wants(event: PositionedEvent): boolean {
    return matchesArguments(event.input, this.args) && visibleTo(event.input, this.scope);
  }

  /** The plan execution of `event` for this group, on behalf of `representative`. */
  execution(event: PositionedEvent, representative: SubscriberConnection): EventExecution {
    return this.executionOf(
      primaryRootValue(event.input),
      event.input.event.metadata.correlationId,
      representative,
      carriedEntity(event.input),
    );
  }

  /** The plan execution of a primary result (an event's, or a snapshot's) for this group. */
  executionOf(
    rootValue: Record<string, unknown>,
    correlationId: string,
    representative: SubscriberConnection,
    carried?: CarriedEntity,
  ): EventExecution {
    // An anonymous scope executes anonymously, whoever the representative subscriber is.
    const anonymous = this.scope.kind === 'anonymous';
    return {
      prepared: this.prepared,
      variables: this.variables,
      rootValue,
      authorization: anonymous ? undefined : representative.authorization,
      viewer: anonymous ? null : representative.viewer,
      correlationId,
      ...(carried ? { carried } : {}),
    };
  }
}

/**
 * The live fan-out: groups subscribers by (operation, variables, viewer scope); for each event and
 * each group whose arguments and visibility admit it, executes the plan once and hands the one
 * result, with the event's cursor, to every member without waiting on any socket.
 */
export class SubscriptionHub {
  private readonly groups = new Map<SubscriptionField, Map<string, FanOutGroup>>();
  private subscribers = 0;
  /** Members of chunked fan-outs in progress (counted as queued until their fan-out ends). */
  private handing = 0;

  constructor(private readonly deps: HubDependencies) {}

  /** Active subscriptions. */
  get size(): number {
    return this.subscribers;
  }

  /** Adds a live subscriber (to hold while it catches up, if it resumes) and returns it. */
  subscribe(request: SubscriptionRequest): { readonly subscriber: Subscriber; readonly group: FanOutGroup } {
    const { prepared, connection } = request;
    const field = prepared.field;
    // Public fields resolve only public data: every viewer shares one anonymous execution.
    const scope: ViewerScope =
      subscriptionFields[field].access === 'public' ? { kind: 'anonymous' } : scopeOf(connection.viewer);
    const key = fanOutKey(prepared.key, sharedVariables(prepared, request.variables), scope);
    let byKey = this.groups.get(field);
    if (!byKey) this.groups.set(field, (byKey = new Map<string, FanOutGroup>()));
    let group = byKey.get(key);
    if (!group) {
      group = new FanOutGroup(key, prepared, request.variables, request.args, scope);
      byKey.set(key, group);
    }
    const { metrics } = this.deps;
    const delivered = metrics.deliveries(field);
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
        const now = Date.now();
        const { executedAtMs } = delivery;
        delivered(now - delivery.occurredAtMs, executedAtMs === undefined ? undefined : now - executedAtMs);
      },
      onEnd: () => {
        joined.members.delete(subscriber);
        if (joined.members.size === 0 && byKey.get(key) === joined) byKey.delete(key);
        this.subscribers -= 1;
        metrics.subscriptions.dec({ field });
      },
    });
    const subscriber = new Subscriber(stream, connection, (position) => this.deps.cursorOf(field, position));
    group.members.add(subscriber);
    this.subscribers += 1;
    metrics.subscriptions.inc({ field });
    return { subscriber, group };
  }

  /** Fans one consumed event out to the groups of its field. Never waits on subscribers. */
  dispatch(event: PositionedEvent): void {
    const field = event.input.field;
    const groups = this.groups.get(field);
    if (!groups || groups.size === 0) return;
    const key = coalesceKey(event.input);
    const { metrics } = this.deps;
    let cursor: string | undefined;
    for (const group of groups.values()) {
      if (!group.wants(event)) continue;
      const representative = firstAdmitting(group, event);
      if (!representative) continue;
      cursor ??= this.deps.cursorOf(field, event.position);
      const extensions = { cursor };
      metrics.executions.inc({ field });
      const pending = this.deps.execute(group.execution(event, representative.connection)).then((result) => {
        const executedAtMs = Date.now();
        if (event.consumedAtMs !== undefined)
          metrics.stage('executed', field, executedAtMs - event.consumedAtMs);
        return { shared: withExtensions(result, extensions), executedAtMs };
      });
      group.delivery = group.delivery
        .then(() => pending)
        .then(({ shared, executedAtMs }) => this.fanOut(group, shared, event, key, executedAtMs))
        .catch((error: unknown) => this.deps.logger.error({ err: error }, 'subscription delivery failed'));
    }
  }

  /**
   * Hands one result to the members of a group (those there when its fan-out starts), yielding to
   * the event loop every `chunk` members: a fan-out to thousands never holds the process for its
   * whole length, and the first chunks' frames are written while the later ones are handed theirs.
   */
  private async fanOut(
    group: FanOutGroup,
    shared: ExecutionResult,
    event: PositionedEvent,
    key: string | undefined,
    executedAtMs: number,
  ): Promise<void> {
    const chunk = Math.max(1, this.deps.fanOut.chunk);
    if (group.members.size <= chunk) {
      for (const member of group.members) member.deliver(shared, event, key, executedAtMs);
      return;
    }
    const members = [...group.members];
    let handed = 0;
    this.handing += members.length;
    try {
      for (const member of members) {
        if (handed > 0 && handed % chunk === 0) await new Promise((resolve) => setImmediate(resolve));
        member.deliver(shared, event, key, executedAtMs);
        handed += 1;
      }
    } finally {
      this.handing -= members.length;
    }
  }

  /** Results waiting in subscribers' queues, or still to be handed to them. */
  queued(): number {
    let queued = this.handing;
    for (const groups of this.groups.values()) {
      for (const group of groups.values()) for (const member of group.members) queued += member.stream.queued;
    }
    return queued;
  }
}

function firstAdmitting(group: FanOutGroup, event: PositionedEvent): Subscriber | undefined {
  for (const member of group.members) if (member.admits(event)) return member;
  return undefined;
}
