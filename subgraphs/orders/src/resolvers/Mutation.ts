import { requireRole, requireViewer } from '@commerce/common/auth';
import type { MutationResolvers } from '../generated/resolvers-types.js';

export const Mutation: MutationResolvers = {
  placeOrder: (_parent, { input }, context) =>
    context.service.placeOrder(requireRole(context, 'CUSTOMER'), input, context.origin),
  updateOrderStatus: (_parent, { id, status }, context) =>
    context.service.changeStatus(requireViewer(context), id, status, context.origin),
  cancelOrder: (_parent, { id }, context) =>
    context.service.cancel(requireViewer(context), id, context.origin),
  payOrder: (_parent, { orderId, payment }, context) =>
    context.payments.pay(requireViewer(context), orderId, payment, context.origin),
};
