import { GraphQLError } from 'graphql';
import type { LogBounds, LogPosition } from '@commerce/common/events';

/**
 * Resume cursors: `c1.<base64url JSON [topic, offsets]>.<check>`, the position after an event in its
 * topic (the next offset of every partition). Opaque to clients, versioned by its prefix, checked
 * for typing errors and tampering by a checksum. A cursor only says where to read from: what a
 * resumed subscriber receives is filtered and authorized exactly as live events are.
 */
const version = 'c1';

export function encodeCursor(topic: string, position: LogPosition): string {
  const body = Buffer.from(JSON.stringify([topic, position])).toString('base64url');
  return `${version}.${body}.${checksum(body)}`;
}

/** The cursor's position in `topic`, or a BAD_CURSOR error. */
export function decodeCursor(cursor: string, topic: string): LogPosition | GraphQLError {
  const [prefix, body, check, ...rest] = cursor.split('.');
  if (prefix !== version || !body || check !== checksum(body) || rest.length > 0) {
    return badCursor('The cursor is malformed or was altered');
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return badCursor('The cursor is malformed or was altered');
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) return badCursor('The cursor is malformed');
  const [cursorTopic, offsets] = decoded as [unknown, unknown];
  if (cursorTopic !== topic) return badCursor('The cursor belongs to another subscription or deployment');
  if (!Array.isArray(offsets) || offsets.length === 0 || !offsets.every(isOffset)) {
    return badCursor('The cursor is malformed');
  }
  return offsets;
}

/**
 * Whether the log can still serve a resume from `position`: CURSOR_EXPIRED when retention has
 * deleted events after it, BAD_CURSOR when it points past what the topic holds (another cluster's).
 */
export function checkCursor(position: LogPosition, bounds: LogBounds): GraphQLError | undefined {
  if (position.length > bounds.end.length) return badCursor('The cursor names partitions this topic lacks');
  for (const [partition, offset] of position.entries()) {
    if (offset > (bounds.end[partition] ?? 0)) return badCursor('The cursor is ahead of this topic');
  }
  for (const [partition, offset] of position.entries()) {
    if (offset < (bounds.start[partition] ?? 0)) {
      return new GraphQLError(
        'The cursor is older than what the topic retains: subscribe again without `after` (or with `initial: true`)',
        { extensions: { code: 'CURSOR_EXPIRED' } },
      );
    }
  }
  return undefined;
}

function badCursor(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_CURSOR' } });
}

function isOffset(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** FNV-1a, 32 bits: catches edits and truncation; not a secret (cursors grant nothing). */
function checksum(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}
