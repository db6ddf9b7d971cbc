import { randomUUID } from 'node:crypto';
import type { Viewer } from '@commerce/common/auth';
import { DocumentDatabase, DocumentOutboxSource } from '@commerce/common/embedded';
import type { Envelope, OutboxRecord } from '@commerce/common/events';
import { createLogger } from '@commerce/common/logger';
import { beforeEach, describe, expect, it } from 'vitest';
import { EmbeddedOrderStore } from '../adapters/embedded/order-store.js';
import { ordersCollection } from '../adapters/mongo/order-store.js';
import { SandboxPaymentProvider } from '../adapters/sandbox/payment-provider.js';
import { newOrder, withStatus } from './lifecycle.js';
import type { Order } from './order.js';
import { OrdersService } from './orders-service.js';
import { paymentClaimMs, Payments } from './payments.js';
import type { ChargeRequest } from './ports.js';

const owner: Viewer = { userId: 'u1', email: 'u1@example.com', role: 'CUSTOMER' };
const stranger: Viewer = { userId: 'u2', email: 'u2@example.com', role: 'CUSTOMER' };
const admin: Viewer = { userId: 'a1', email: 'admin@example.com', role: 'ADMIN' };
const origin = { source: 'test', correlationId: randomUUID() };
const card = (token: string) => ({ method: 'CARD' as const, token });

/** The sandbox, counting the charges it was asked for. */
class CountingSandbox extends SandboxPaymentProvider {
  readonly requests: ChargeRequest[] = [];
  override charge(request: ChargeRequest) {
    this.requests.push(request);
    return super.charge(request);
  }
}

describe('payOrder', () => {
  let database: DocumentDatabase;
  let orders: EmbeddedOrderStore;
  let provider: CountingSandbox;
  let payments: Payments;
  let clock: Date;

  beforeEach(() => {
    database = DocumentDatabase.open();
    orders = new EmbeddedOrderStore(database);
    provider = new CountingSandbox();
    clock = new Date('2026-01-01T10:00:00Z');
    payments = new Payments({
      orders,
      provider,
      eventsStored: () => undefined,
      logger: createLogger('payments-test'),
      now: () => clock,
    });
  });

  /** A placed order of owner's in `status` (CONFIRMED by default), with a total of 609.97. */
  async function orderIn(status: 'PENDING' | 'CONFIRMED' | 'CANCELLED' = 'CONFIRMED'): Promise<Order> {
    const items = [
      { productId: 'p1', productName: 'Headphones', quantity: 1, unitPriceCents: 24999 },
      { productId: 'p2', productName: 'Watch', quantity: 2, unitPriceCents: 17999 },
    ];
    const placed = newOrder({ id: randomUUID(), userId: owner.userId, items, shippingAddress }, clock, 900);
    await orders.insert(placed, []);
    let order = placed;
    if (status !== 'PENDING') order = withStatus(order, 'CONFIRMED', clock, 'stock reserved');
    if (status === 'CANCELLED') order = withStatus(order, 'CANCELLED', clock, 'cancelled by the customer');
    if (order !== placed) await orders.update({ before: placed, after: order, events: [] });
    return order;
  }

  /** The events stored with the orders (the outbox), in order. */
  async function storedEvents(): Promise<Envelope<Record<string, unknown>>[]> {
    const records: OutboxRecord[] = [];
    await new DocumentOutboxSource(database.collection(ordersCollection)).claim(100, (claimed) => {
      records.push(...claimed);
      return Promise.resolve(claimed);
    });
    return records.map((record) => record.envelope as Envelope<Record<string, unknown>>);
  }

  it('charges the server-side total of a CONFIRMED order once: PAID, the payment listed, events stored', async () => {
    const order = await orderIn();
    const paid = await payments.pay(owner, order.id, card('tok_visa'), origin);
    expect(paid).toMatchObject({
      status: 'PAID',
      version: order.version + 1,
      paymentClaimedUntil: null,
      payments: [{ amountCents: 60997, method: 'CARD', status: 'SUCCEEDED', failureReason: null }],
    });
    expect(paid.history.at(-1)).toEqual({ status: 'PAID', at: clock, reason: 'paid by card' });
    expect(provider.requests).toEqual([
      expect.objectContaining({ idempotencyKey: `${order.id}:1`, amountCents: 60997, currency: 'USD' }),
    ]);
    const events = await storedEvents();
    expect(events.map((event) => event.metadata.eventType)).toEqual([
      'order.status_changed',
      'payment.succeeded',
    ]);
    expect(events[1]?.payload).toEqual({
      orderId: order.id,
      userId: owner.userId,
      paymentId: paid.payments[0]?.id,
      amount: 609.97,
      method: 'CARD',
      version: paid.version,
    });
    expect(events[0]?.payload).toMatchObject({
      previousStatus: 'CONFIRMED',
      status: 'PAID',
      version: paid.version,
    });
  });

  it('answers two concurrent calls with the PAID order, charging and announcing once', async () => {
    const order = await orderIn();
    const [first, second] = await Promise.all([
      payments.pay(owner, order.id, card('tok_visa'), origin),
      payments.pay(owner, order.id, card('tok_visa'), origin),
    ]);
    expect(first.status).toBe('PAID');
    expect(second).toEqual(first);
    expect(new Set(provider.requests.map((request) => request.idempotencyKey))).toEqual(
      new Set([`${order.id}:1`]),
    );
    expect(first.payments).toHaveLength(1);
    const succeeded = (await storedEvents()).filter((e) => e.metadata.eventType === 'payment.succeeded');
    expect(succeeded).toHaveLength(1);
  });

  it('declines with PAYMENT_DECLINED, keeps the order CONFIRMED with the failed payment, and takes a retry as a new attempt', async () => {
    const order = await orderIn();
    await expect(payments.pay(owner, order.id, card('tok_chargeDeclined'), origin)).rejects.toMatchObject({
      code: 'PAYMENT_DECLINED',
      message: 'Payment declined: Your card was declined.',
    });
    const [declined] = await orders.findByIds([order.id]);
    expect(declined).toMatchObject({
      status: 'CONFIRMED',
      version: order.version + 1,
      paymentClaimedUntil: null,
      payments: [{ status: 'FAILED', failureReason: 'Your card was declined.', amountCents: 60997 }],
    });
    const failed = (await storedEvents()).filter((e) => e.metadata.eventType === 'payment.failed');
    expect(failed.map((e) => e.payload)).toEqual([
      expect.objectContaining({ orderId: order.id, reason: 'Your card was declined.', amount: 609.97 }),
    ]);

    const paid = await payments.pay(owner, order.id, card('tok_visa'), origin);
    expect(paid.status).toBe('PAID');
    expect(paid.payments.map((payment) => payment.status)).toEqual(['FAILED', 'SUCCEEDED']);
    expect(provider.requests.map((request) => request.idempotencyKey)).toEqual([
      `${order.id}:1`,
      `${order.id}:2`,
    ]);
  });

  it('answers a provider outage with PAYMENT_PROVIDER_UNAVAILABLE, records nothing and frees the order', async () => {
    const order = await orderIn();
    await expect(payments.pay(owner, order.id, card('tok_processingError'), origin)).rejects.toMatchObject({
      code: 'PAYMENT_PROVIDER_UNAVAILABLE',
      retriable: true,
    });
    expect(await orders.findByIds([order.id])).toEqual([order]);
    expect(await storedEvents()).toEqual([]);
    // The same attempt again, now that the provider answers: the outage took no key.
    expect((await payments.pay(owner, order.id, card('tok_visa'), origin)).status).toBe('PAID');
    expect(provider.requests.map((request) => request.idempotencyKey)).toEqual([
      `${order.id}:1`,
      `${order.id}:1`,
    ]);
  });

  it.each(['PENDING', 'CANCELLED'] as const)(
    'refuses a %s order with ORDER_NOT_PAYABLE naming its status, charging nothing',
    async (status) => {
      const order = await orderIn(status);
      await expect(payments.pay(owner, order.id, card('tok_visa'), origin)).rejects.toMatchObject({
        code: 'ORDER_NOT_PAYABLE',
        details: { orderId: order.id, status },
      });
      expect(provider.requests).toEqual([]);
    },
  );

  it('answers a repeated payOrder of a paid order (a retry, a late twin) with the PAID order, charging nothing', async () => {
    const order = await orderIn();
    const paid = await payments.pay(owner, order.id, card('tok_visa'), origin);
    expect(await payments.pay(owner, order.id, card('tok_chargeDeclined'), origin)).toEqual(paid);
    expect(provider.requests).toHaveLength(1);
    await expect(payments.pay(stranger, order.id, card('tok_visa'), origin)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('refuses an order an admin marked PAID by hand (no card payment) with ORDER_NOT_PAYABLE (PAID)', async () => {
    const order = await orderIn();
    await orders.update({ before: order, after: withStatus(order, 'PAID', clock, 'manual'), events: [] });
    await expect(payments.pay(owner, order.id, card('tok_visa'), origin)).rejects.toMatchObject({
      code: 'ORDER_NOT_PAYABLE',
      details: { status: 'PAID' },
    });
    expect(provider.requests).toEqual([]);
  });

  it('lets only the owner pay: another customer and an admin are FORBIDDEN; a missing order is NOT_FOUND', async () => {
    const order = await orderIn();
    for (const viewer of [stranger, admin]) {
      await expect(payments.pay(viewer, order.id, card('tok_visa'), origin)).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
    }
    await expect(payments.pay(owner, 'missing', card('tok_visa'), origin)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(payments.pay(owner, order.id, card('  '), origin)).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    expect(provider.requests).toEqual([]);
  });

  it('keeps the order from being cancelled while a charge is under way, and frees it afterwards', async () => {
    const order = await orderIn();
    const service = new OrdersService({
      orders,
      catalog: { findByIds: () => Promise.resolve([]) },
      eventsStored: () => undefined,
      now: () => clock,
    });
    let charging!: () => void;
    const slow = new Promise<void>((resolve) => (charging = resolve));
    const gate = new (class extends SandboxPaymentProvider {
      override async charge(request: ChargeRequest) {
        await slow;
        return super.charge(request);
      }
    })();
    const slowPayments = new Payments({
      orders,
      provider: gate,
      eventsStored: () => undefined,
      logger: createLogger('t'),
      now: () => clock,
    });
    const paying = slowPayments.pay(owner, order.id, card('tok_visa'), origin);
    await new Promise((resolve) => setImmediate(resolve));
    await expect(service.cancel(owner, order.id, origin)).rejects.toMatchObject({ code: 'CONFLICT' });
    charging();
    expect((await paying).status).toBe('PAID');

    // A claim left behind (a crash mid-charge) lapses.
    const other = await orderIn();
    await orders.update({
      before: other,
      after: { ...other, paymentClaimedUntil: new Date(clock.getTime() + paymentClaimMs) },
      events: [],
    });
    await expect(service.cancel(owner, other.id, origin)).rejects.toMatchObject({ code: 'CONFLICT' });
    clock = new Date(clock.getTime() + paymentClaimMs + 1);
    expect((await service.cancel(owner, other.id, origin)).status).toBe('CANCELLED');
  });
});

const shippingAddress = {
  line1: '1 Main St',
  line2: null,
  city: 'Springfield',
  state: 'IL',
  postalCode: '62701',
  country: 'US',
};
