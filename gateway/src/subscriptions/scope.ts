import type { Viewer } from '@commerce/common/auth';

/**
 * The viewers who may share one execution of a subscription: anonymous viewers together, ADMINs
 * together (they see everything), each customer on their own (they see their own orders).
 */
export type ViewerScope =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'role'; readonly role: 'ADMIN' }
  | { readonly kind: 'user'; readonly userId: string };

export function scopeOf(viewer: Viewer | null): ViewerScope {
  if (viewer === null) return { kind: 'anonymous' };
  if (viewer.role === 'ADMIN') return { kind: 'role', role: 'ADMIN' };
  return { kind: 'user', userId: viewer.userId };
}

export function scopeKey(scope: ViewerScope): string {
  switch (scope.kind) {
    case 'anonymous':
      return 'anonymous';
    case 'role':
      return `role:${scope.role}`;
    case 'user':
      return `user:${scope.userId}`;
  }
}

/**
 * The fan-out key: subscribers with equal operation, variables and scope receive one shared result
 * per event. Variables are compared by value, whatever their key order.
 */
export function fanOutKey(operationKey: string, variables: unknown, scope: ViewerScope): string {
  return JSON.stringify([operationKey, stableJson(variables ?? {}), scopeKey(scope)]);
}

/** JSON with object keys sorted, so that equal values give equal strings. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, item]) => [key, sortKeys(item)]));
}
