import { createHash } from 'node:crypto';
import { AppError } from '@commerce/common/errors';
import type { ChargeOutcome, ChargeRequest, PaymentProvider } from '../../domain/ports.js';

/** The sandbox's test tokens (the names of a well-known provider's test mode). */
export const sandboxTokens = {
  succeeds: 'tok_visa',
  declined: 'tok_chargeDeclined',
  outage: 'tok_processingError',
} as const;

/**
 * A deterministic payment provider for development and tests, the default adapter: `tok_visa`
 * succeeds, `tok_chargeDeclined` is declined, `tok_processingError` fails as a provider outage, and
 * any other token is declined as unknown. As a real provider, it answers a repeated idempotency key
 * with the first request's outcome (an outage is not an answer, so it is not kept); charge ids are
 * derived from the key, so every instance names a charge alike.
 */
export class SandboxPaymentProvider implements PaymentProvider {
  private readonly answered = new Map<string, ChargeOutcome>();

  charge(request: ChargeRequest): Promise<ChargeOutcome> {
    const known = this.answered.get(request.idempotencyKey);
    if (known) return Promise.resolve(known);
    if (request.token === sandboxTokens.outage) {
      return Promise.reject(
        new AppError(
          'PAYMENT_PROVIDER_UNAVAILABLE',
          'The payment provider could not process the payment; nothing was charged, try again later',
          true,
        ),
      );
    }
    const chargeId = `ch_sandbox_${createHash('sha256').update(request.idempotencyKey).digest('hex').slice(0, 24)}`;
    const outcome: ChargeOutcome =
      request.token === sandboxTokens.succeeds
        ? { status: 'SUCCEEDED', chargeId }
        : {
            status: 'FAILED',
            chargeId,
            reason:
              request.token === sandboxTokens.declined
                ? 'Your card was declined.'
                : `Unknown card token (sandbox tokens: ${Object.values(sandboxTokens).join(', ')})`,
          };
    this.answered.set(request.idempotencyKey, outcome);
    return Promise.resolve(outcome);
  }
}
