import { type AppError, forbidden, unauthenticated } from '../errors.js';
import type { Role, Viewer } from './tokens.js';

/** The auth part of every request context. */
export interface AuthContext {
  readonly viewer: Viewer | null;
  /** Why a token that was sent was refused; raised by the guards below. */
  readonly authError: AppError | null;
}

export function requireViewer(context: AuthContext): Viewer {
  if (context.viewer) return context.viewer;
  throw context.authError ?? unauthenticated();
}

export function requireRole(context: AuthContext, role: Role): Viewer {
  const viewer = requireViewer(context);
  if (viewer.role !== role) throw forbidden(`Requires role ${role}`);
  return viewer;
}
