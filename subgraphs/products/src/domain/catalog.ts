import { randomUUID } from 'node:crypto';
import type { EventOrigin } from '@commerce/common/events';
import { conflict, notFound } from '@commerce/common/errors';
import { productCreated, productDeleted, productUpdated } from './events.js';
import type { PageRequest, ProductQuery } from './listing.js';
import type { ProductSlice, ProductStore } from './ports.js';
import { applyChanges, type NewProduct, type ProductChanges, type ProductModel } from './product.js';

/** A listing page together with the query it answers (totalCount is counted only when asked). */
export interface ProductPage extends ProductSlice {
  readonly query: ProductQuery;
}

export interface CatalogOptions {
  /** Wakes the outbox relay after a write that stored events. */
  readonly notify: () => void;
  readonly now?: () => Date;
}

/** How often updateProduct re-reads and retries when another write got in between. */
const maxUpdateAttempts = 3;

/** The products use cases: each write stores its event in the same document write, then wakes the relay. */
export class Catalog {
  private readonly notify: () => void;
  private readonly now: () => Date;

  constructor(
    private readonly store: ProductStore,
    options: CatalogOptions,
  ) {
    this.notify = options.notify;
    this.now = options.now ?? (() => new Date());
  }

  async create(input: NewProduct, origin: EventOrigin): Promise<ProductModel> {
    const now = this.now();
    const product: ProductModel = {
      id: randomUUID(),
      name: input.name,
      description: input.description,
      category: input.category,
      priceCents: input.priceCents,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
    await this.store.insert(product, [productCreated(product, input, origin)]);
    this.notify();
    return product;
  }

  /** Applies the changes; a request that changes nothing writes and publishes nothing. */
  async update(id: string, changes: ProductChanges, origin: EventOrigin): Promise<ProductModel> {
    for (let attempt = 0; attempt < maxUpdateAttempts; attempt += 1) {
      const current = await this.findLive(id);
      const next = applyChanges(current, changes, this.now());
      if (!next) return current;
      if (await this.store.replace(current, next, [productUpdated(next, origin)])) {
        this.notify();
        return next;
      }
    }
    throw conflict(`Product ${id} is being changed by another request; try again`);
  }

  /** Soft delete: the product leaves listings but stays resolvable by reference. */
  async delete(id: string, origin: EventOrigin): Promise<string> {
    if (!(await this.store.markDeleted(id, this.now(), [productDeleted(id, origin)]))) {
      throw notFound('Product', id);
    }
    this.notify();
    return id;
  }

  async list(query: ProductQuery, page: PageRequest): Promise<ProductPage> {
    return { ...(await this.store.list(query, page)), query };
  }

  count(query: ProductQuery): Promise<number> {
    return this.store.count(query);
  }

  private async findLive(id: string): Promise<ProductModel> {
    const [product] = await this.store.findByIds([id]);
    if (!product || product.deletedAt) throw notFound('Product', id);
    return product;
  }
}
