import { outgoingEvent, type EventOrigin, type OutgoingEvent } from '@commerce/common/events';
import type { UserModel } from '../models.js';

/** user.created, keyed by the user's id. */
export function userCreated(user: UserModel, origin: EventOrigin): OutgoingEvent {
  const { id: userId, email, firstName, lastName, role } = user;
  return outgoingEvent('user.created', userId, { userId, email, firstName, lastName, role }, origin);
}
