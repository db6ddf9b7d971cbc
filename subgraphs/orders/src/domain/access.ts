import type { Viewer } from '@commerce/common/auth';
import { forbidden } from '@commerce/common/errors';

/** A user's orders are visible to that user and to admins. */
export function canSeeOrdersOf(viewer: Viewer, userId: string): boolean {
  return viewer.role === 'ADMIN' || viewer.userId === userId;
}

/** Throws FORBIDDEN unless the viewer is that user or an ADMIN. */
export function assertCanSeeOrdersOf(viewer: Viewer, userId: string): void {
  if (!canSeeOrdersOf(viewer, userId)) throw forbidden("Not allowed to see another user's orders");
}
