import { randomUUID } from 'node:crypto';
import type { Viewer } from '@commerce/common/auth';
import { DocumentDatabase } from '@commerce/common/embedded';
import { describe, expect, it } from 'vitest';
import { EmbeddedOrderStore } from '../adapters/embedded/order-store.js';
import { OrdersService } from './orders-service.js';
import { assertMayOpenAnother, assertQuantityLimit, defaultOrderPolicy, orderPolicy } from './policy.js';

const customer: Viewer = { userId: 'u1', email: 'u1@example.com', role: 'CUSTOMER' };
const origin = { source: 'test', correlationId: randomUUID() };
const shippingAddress = { line1: '1 St', city: 'C', state: 'S', postalCode: '1', country: 'X' };
const catalog = {
  findByIds: (ids: readonly string[]) =>
    Promise.resolve(
      ids.map((productId) => ({
        productId,
        name: productId,
        priceCents: 500,
        deleted: false,
        available: null,
        reserved: null,
      })),
    ),
};

describe('the order policy', () => {
  it('defaults to 15 minutes to pay, 10 open orders per customer, 10 units per product', () => {
    expect(defaultOrderPolicy).toEqual({
      paymentTtlSeconds: 900,
      maxOpenOrdersPerCustomer: 10,
      maxQuantityPerLine: 10,
    });
    expect(orderPolicy({ paymentTtlSeconds: 3 })).toEqual({ ...defaultOrderPolicy, paymentTtlSeconds: 3 });
  });

  it('refuses more units of a product than the cap with QUANTITY_LIMIT, naming it', () => {
    const policy = orderPolicy({ maxQuantityPerLine: 5 });
    expect(() => assertQuantityLimit([{ productId: 'a', quantity: 5 }], policy)).not.toThrow();
    expect(() =>
      assertQuantityLimit(
        [
          { productId: 'a', quantity: 1 },
          { productId: 'b', quantity: 6 },
        ],
        policy,
      ),
    ).toThrow(
      expect.objectContaining({ code: 'QUANTITY_LIMIT', details: { productId: 'b', requested: 6, max: 5 } }),
    );
  });

  it('refuses another open order at the cap with TOO_MANY_OPEN_ORDERS', () => {
    const policy = orderPolicy({ maxOpenOrdersPerCustomer: 2 });
    expect(() => assertMayOpenAnother(1, policy)).not.toThrow();
    expect(() => assertMayOpenAnother(2, policy)).toThrow(
      expect.objectContaining({ code: 'TOO_MANY_OPEN_ORDERS', details: { open: 2, max: 2 } }),
    );
  });

  describe('placeOrder', () => {
    const service = (policy = orderPolicy({ maxOpenOrdersPerCustomer: 3, maxQuantityPerLine: 4 })) => {
      const orders = new EmbeddedOrderStore(DocumentDatabase.open());
      return {
        orders,
        service: new OrdersService({ orders, catalog, eventsStored: () => undefined, policy }),
      };
    };

    it('counts lines of one product together against the quantity cap', async () => {
      const { service: orders } = service();
      const items = [
        { productId: 'a', quantity: 3 },
        { productId: 'a', quantity: 2 },
      ];
      await expect(orders.placeOrder(customer, { items, shippingAddress }, origin)).rejects.toMatchObject({
        code: 'QUANTITY_LIMIT',
      });
    });

    it('lets exactly the cap of concurrent placements through, and another once one is no longer open', async () => {
      const { service: orders } = service();
      const request = { items: [{ productId: 'a', quantity: 1 }], shippingAddress };
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, () => orders.placeOrder(customer, request, origin)),
      );
      const placed = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
      expect(placed).toHaveLength(3);
      expect(
        results
          .filter((result) => result.status === 'rejected')
          .map((result) => (result.reason as { code: string }).code),
      ).toEqual(Array.from({ length: 7 }, () => 'TOO_MANY_OPEN_ORDERS'));
      // Another customer is not affected; a cancelled order frees a place.
      await orders.placeOrder({ ...customer, userId: 'u2' }, request, origin);
      await orders.cancel(customer, placed[0]!.id, origin);
      await expect(orders.placeOrder(customer, request, origin)).resolves.toMatchObject({
        status: 'PENDING',
      });
    });

    it('gives each order its payment deadline', async () => {
      const { service: orders } = service(orderPolicy({ paymentTtlSeconds: 60 }));
      const order = await orders.placeOrder(
        customer,
        { items: [{ productId: 'a', quantity: 1 }], shippingAddress },
        origin,
      );
      expect(order.paymentDueAt?.getTime()).toBe(order.createdAt.getTime() + 60_000);
    });
  });
});
