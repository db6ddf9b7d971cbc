import type { Viewer } from '@commerce/common/auth';
import type { LogPosition } from '@commerce/common/events';
import type { ExecutionResult } from 'graphql';
import type { FieldEvent, SubscriptionField } from './fields.js';
import type { SubscriberStream } from './stream.js';

/** The connection a subscriber belongs to, as the hub needs it. */
export interface SubscriberConnection {
  readonly viewer: Viewer | null;
  readonly authorization: string | undefined;
  /** Bytes its socket has not sent yet. */
  bufferedBytes(): number;
  /** Closes the connection of a subscriber that fell too far behind. */
  closeTooSlow(field: SubscriptionField): void;
}

/** A consumed event at its place in its topic. */
export interface PositionedEvent {
  readonly input: FieldEvent;
  readonly partition: number;
  readonly offset: number;
  /** The topic's position right after this event: what its cursor encodes. */
  readonly position: LogPosition;
  /** When the live reader read it from the log (ms; live events only). */
  readonly consumedAtMs?: number;
}

/** The version of the aggregate after the change an event reports, when its payload has one. */
export function versionOf(input: FieldEvent): number | undefined {
  const version: unknown = (input.event.payload as { version?: unknown }).version;
  return typeof version === 'number' ? version : undefined;
}

/** The result with the event's cursor in `extensions.cursor` (and any other extensions). */
export function withExtensions(
  result: ExecutionResult,
  extensions: Record<string, unknown>,
): ExecutionResult {
  return { ...result, extensions: { ...result.extensions, ...extensions } };
}

interface Held {
  readonly result: ExecutionResult;
  readonly event: PositionedEvent;
  readonly coalesceKey: string | undefined;
  readonly executedAtMs: number | undefined;
}

/** Caps a resuming subscriber's live events held during its catch-up (then it is too slow: 1013). */
const maxHeld = 10_000;

/**
 * One subscription's delivery rules on top of its stream. A resuming subscriber is `held` while
 * its replay runs: live results wait, then go out after the replay, each once. It skips events
 * before `from` (delivered by a replay, or by the instance it resumed from) and events whose
 * version is not above `minVersion` (contained in its snapshot).
 */
export class Subscriber {
  private from: LogPosition | undefined;
  private minVersion: number | undefined;
  private held: Held[] | undefined;

  constructor(
    readonly stream: SubscriberStream,
    readonly connection: SubscriberConnection,
    private readonly cursorOf: (position: LogPosition) => string,
  ) {}

  /** Holds live results until `release`; they are delivered only past `from`. */
  hold(from?: LogPosition): void {
    this.held ??= [];
    this.from = from;
  }

  /** Delivers what was held (past `from` and `minVersion`), then goes live. */
  release(minVersion?: number): void {
    if (minVersion !== undefined) this.minVersion = minVersion;
    const held = this.held ?? [];
    this.held = undefined;
    for (const item of held) this.deliver(item.result, item.event, item.coalesceKey, item.executedAtMs);
  }

  /** Whether this subscriber takes the event at all (before any execution). */
  admits(event: PositionedEvent): boolean {
    if (this.from && event.offset < (this.from[event.partition] ?? 0)) return false;
    if (this.minVersion === undefined) return true;
    const version = versionOf(event.input);
    return version === undefined || version > this.minVersion;
  }

  /** A live result (`result` carries the event's cursor already), executed at `executedAtMs`. */
  deliver(
    result: ExecutionResult,
    event: PositionedEvent,
    coalesceKey: string | undefined,
    executedAtMs?: number,
  ): void {
    if (this.stream.isEnded || !this.admits(event)) return;
    if (this.held) {
      if (this.held.length >= maxHeld) this.stream.overflow();
      else this.held.push({ result, event, coalesceKey, executedAtMs });
      return;
    }
    const delivery = { result: this.withOwnCursor(result, event.position), occurredAtMs: occurredAt(event) };
    this.stream.push(executedAtMs === undefined ? delivery : { ...delivery, executedAtMs }, coalesceKey);
  }

  /** A replayed result, delivered ahead of the held live ones (the replay waits for room). */
  replayed(result: ExecutionResult, event: PositionedEvent): void {
    if (this.stream.isEnded) return;
    this.stream.push({ result: this.withOwnCursor(result, event.position), occurredAtMs: occurredAt(event) });
  }

  /**
   * Where the stream stands is never behind `from`: a cursor taken there would replay again what
   * this subscriber already has. Past `from` everywhere, the shared cursor is this subscriber's too.
   */
  private withOwnCursor(result: ExecutionResult, position: LogPosition): ExecutionResult {
    const from = this.from;
    if (!from) return result;
    if (from.every((offset, partition) => (position[partition] ?? 0) >= offset)) {
      this.from = undefined;
      return result;
    }
    const merged = position.map((offset, partition) => Math.max(offset, from[partition] ?? 0));
    return withExtensions(result, { cursor: this.cursorOf(merged) });
  }
}

/** When the event occurred, in ms. */
export function occurredAt(event: PositionedEvent): number {
  return Date.parse(event.input.event.metadata.occurredAt);
}
