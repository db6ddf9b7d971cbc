import { CloseCode } from 'graphql-ws';
import { Kind, type DocumentNode } from 'graphql';
import type { ClosedEvent } from './results.js';

/** The variable a resumable subscription document declares (`$after: String`) and passes to its field. */
export const afterVariable = 'after';

/** How a dropped subscription reconnects: exponential backoff with full jitter, a bounded number of tries. */
export interface ResumePolicy {
  /** Reconnection attempts in a row (reset by every `connection_ack`) before giving up. Default 8. */
  readonly attempts?: number;
  /** The first attempt waits up to this long; each further one doubles the bound. Default 250 ms. */
  readonly baseDelayMs?: number;
  /** The bound never exceeds this. Default 15 000 ms. */
  readonly maxDelayMs?: number;
}

const defaults = { attempts: 8, baseDelayMs: 250, maxDelayMs: 15_000 } as const;

/**
 * How long to wait before reconnection attempt `attempt` (0 first): a uniformly random time up to
 * `min(maxDelayMs, baseDelayMs * 2^attempt)` ("full jitter"), so that the clients of a gateway that
 * went away do not all come back in the same instant.
 */
export function backoffDelay(attempt: number, policy: ResumePolicy = {}, random = Math.random): number {
  const base = policy.baseDelayMs ?? defaults.baseDelayMs;
  const max = policy.maxDelayMs ?? defaults.maxDelayMs;
  return Math.round(random() * Math.min(max, base * 2 ** attempt));
}

/** Whether another reconnection attempt is allowed after `failed` attempts in a row. */
export function mayRetry(failed: number, policy: ResumePolicy = {}): boolean {
  return failed < (policy.attempts ?? defaults.attempts);
}

/**
 * The closes worth reconnecting after: the network or the server went away (1000 while the
 * subscription was still running, 1001 going away, 1005, 1006 abnormal: a cut socket, 1012 restart,
 * 1014 bad gateway), and graphql-ws's handshake timeouts (4408, 4504) and keep-alive termination
 * (4499). Every other code is the server's answer, and asking again would get it again: 4401
 * unauthenticated or token expired (a new token is needed), 4403 forbidden, 4429 too many, 1013 too
 * slow, 4400/4500 bad request or server error, 1002-1011 protocol and policy violations.
 */
export function isResumableClose(code: number): boolean {
  return resumableCloseCodes.has(code);
}

const resumableCloseCodes: ReadonlySet<number> = new Set([
  1000,
  1001,
  1005,
  1006,
  1012,
  1014,
  CloseCode.ConnectionInitialisationTimeout,
  CloseCode.ConnectionAcknowledgementTimeout,
  4499,
]);

/**
 * Whether errors say the cursor cannot be used (CURSOR_EXPIRED: older than the topic's retention,
 * BAD_CURSOR: malformed or foreign). Subscribing again with it would get the same answer: the
 * application decides (e.g. start over from the current state with `initial: true`).
 */
export function refusesCursor(
  errors: readonly { readonly extensions?: { readonly code?: unknown } }[] | null | undefined,
): boolean {
  return (errors ?? []).some((error) =>
    ['CURSOR_EXPIRED', 'BAD_CURSOR'].includes(String(error.extensions?.code)),
  );
}

/** Whether the document's operation declares `$after`, the variable that carries the resume cursor. */
export function declaresAfter(document: DocumentNode): boolean {
  return document.definitions.some(
    (definition) =>
      definition.kind === Kind.OPERATION_DEFINITION &&
      (definition.variableDefinitions ?? []).some(
        (variable) => variable.variable.name.value === afterVariable,
      ),
  );
}

/** The resume position and the snapshot flag a `next` payload carries in its `extensions`. */
export function positionOf(extensions: unknown): { cursor: string | undefined; snapshot: boolean } {
  if (typeof extensions !== 'object' || extensions === null) return { cursor: undefined, snapshot: false };
  const { cursor, snapshot } = extensions as { cursor?: unknown; snapshot?: unknown };
  return { cursor: typeof cursor === 'string' ? cursor : undefined, snapshot: snapshot === true };
}

/** The code and reason of a graphql-ws `closed` event (code 0 when the event carries none). */
export function closeEventOf(event: unknown): ClosedEvent {
  if (typeof event === 'object' && event !== null) {
    const { code, reason } = event as { code?: unknown; reason?: unknown };
    return { code: typeof code === 'number' ? code : 0, reason: typeof reason === 'string' ? reason : '' };
  }
  return { code: 0, reason: '' };
}
