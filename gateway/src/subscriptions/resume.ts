import type { LogPosition, TopicLog } from '@commerce/common/events';
import type { Logger } from '@commerce/common/logger';
import { GraphQLError, type ExecutionResult } from 'graphql';
import { checkCursor, decodeCursor } from './cursor.js';
import type { EventExecution } from './executor.js';
import { subscriptionFields, type SubscriptionField } from './fields.js';
import type { SubscriptionHub, SubscriptionRequest } from './hub.js';
import type { LiveTopics } from './live-topics.js';
import type { SubscriptionMetrics } from './metrics.js';
import type { ReplayReaders } from './replay.js';
import { currentState, snapshotArgument } from './snapshot.js';
import type { SubscriberStream } from './stream.js';
import { withExtensions } from './subscriber.js';

/** How a subscription starts: live from now, replayed after a cursor, or from a snapshot. */
export type StartPoint =
  | { readonly kind: 'live' }
  | { readonly kind: 'after'; readonly from: LogPosition }
  | { readonly kind: 'snapshot'; readonly id: string };

export interface ResumptionDependencies {
  readonly hub: SubscriptionHub;
  readonly live: LiveTopics;
  readonly log: TopicLog;
  readonly replays: ReadonlyMap<SubscriptionField, ReplayReaders>;
  readonly execute: (execution: EventExecution) => Promise<ExecutionResult>;
  readonly query: (
    subgraph: string,
    query: string,
    variables: Record<string, unknown>,
    execution: EventExecution,
  ) => Promise<ExecutionResult>;
  readonly cursorOf: (field: SubscriptionField, position: LogPosition) => string;
  readonly metrics: SubscriptionMetrics;
  readonly logger: Logger;
}

/**
 * Starts subscriptions where their `after` and `initial` arguments say: a resumed one is held in
 * its live fan-out group while a shared reader replays what it missed, then released (each event
 * once, in order); `initial: true` sends the current state first, then the events past its version.
 */
export class Resumption {
  constructor(private readonly deps: ResumptionDependencies) {}

  /** The start point of a subscription, or the errors refusing it (BAD_CURSOR, CURSOR_EXPIRED, …). */
  async startPoint(
    field: SubscriptionField,
    args: Readonly<Record<string, unknown>>,
  ): Promise<StartPoint | GraphQLError[]> {
    const after = args['after'];
    if (typeof after === 'string') {
      const topic = subscriptionFields[field].topic;
      const from = decodeCursor(after, this.topicId(field));
      const refusal =
        from instanceof GraphQLError ? from : checkCursor(from, await this.deps.log.bounds(topic));
      if (refusal) {
        const outcome = refusal.extensions['code'] === 'CURSOR_EXPIRED' ? 'expired' : 'bad';
        this.deps.metrics.resumed.inc({ field, outcome });
        return [refusal];
      }
      this.deps.metrics.resumed.inc({ field, outcome: 'replay' });
      return { kind: 'after', from: from as LogPosition };
    }
    if (args['initial'] !== true) return { kind: 'live' };
    const argument = snapshotArgument[field];
    const id = argument ? args[argument] : undefined;
    if (!argument || typeof id !== 'string') {
      return [
        new GraphQLError(`initial: true needs ${argument ?? 'an id'}: the state of which entity?`, {
          extensions: { code: 'BAD_USER_INPUT' },
        }),
      ];
    }
    this.deps.metrics.resumed.inc({ field, outcome: 'snapshot' });
    return { kind: 'snapshot', id };
  }

  /** Adds the subscriber to the hub and starts its replay or snapshot. */
  start(request: SubscriptionRequest, start: StartPoint): SubscriberStream {
    const { subscriber, group } = this.deps.hub.subscribe(request);
    const field = request.prepared.field;
    if (start.kind === 'after') {
      subscriber.hold(start.from);
      const replays = this.deps.replays.get(field);
      if (!replays) throw new Error(`No replays for ${field}`);
      replays.replay({ subscriber, group, from: start.from, until: this.deps.live.position(field) });
    } else if (start.kind === 'snapshot') {
      subscriber.hold();
      const until = this.deps.live.position(field);
      const execution = (rootValue: Record<string, unknown>) =>
        group.executionOf(rootValue, crypto.randomUUID(), request.connection);
      void (async () => {
        const state = await currentState(field, start.id, (subgraph, query, variables) =>
          this.deps.query(subgraph, query, variables, execution({})),
        );
        if (state instanceof GraphQLError) {
          subscriber.stream.push({ result: { errors: [state] }, occurredAtMs: Date.now() });
          subscriber.stream.end();
          return;
        }
        const result = await this.deps.execute(execution(state.rootValue));
        const extensions = { snapshot: true, cursor: this.deps.cursorOf(field, until) };
        subscriber.stream.push({ result: withExtensions(result, extensions), occurredAtMs: Date.now() });
        // The execution fetches the entity's fields again: it may show a later version than the
        // state read first, and the events up to the one it shows are in the snapshot too.
        subscriber.release(Math.max(state.version, shownVersion(result, field) ?? 0));
      })().catch((error: unknown) => {
        this.deps.logger.error({ err: error, field }, 'snapshot failed');
        subscriber.stream.end();
      });
    }
    return subscriber.stream;
  }

  /** What a cursor names its topic by: the log's namespace and the topic. */
  topicId(field: SubscriptionField): string {
    return `${this.deps.log.namespace}${subscriptionFields[field].topic}`;
  }
}

/** The `version` a snapshot's result shows for its field, when its selection has one. */
function shownVersion(result: ExecutionResult, field: SubscriptionField): number | undefined {
  const shown: unknown = result.data?.[field];
  if (typeof shown !== 'object' || shown === null) return undefined;
  const version: unknown = (shown as { version?: unknown }).version;
  return typeof version === 'number' ? version : undefined;
}
