import { exclusive, isEmbeddedSql } from '@commerce/common/embedded';
import type { OutgoingEvent } from '@commerce/common/events';
import { enqueueEvents, markProcessed } from '@commerce/common/typeorm';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { InventoryStore, InventoryTransaction } from '../../domain/ports.js';
import type { OrderLine, Reservation } from '../../domain/reservation.js';
import type { StockChange, StockItem } from '../../domain/stock.js';
import {
  InventoryItemEntity,
  ReservationEntity,
  type InventoryItemRow,
  type ReservationRow,
} from './entities.js';

/**
 * The inventory store through TypeORM: on PostgreSQL, or on the embedded SQLite database, where
 * every call runs alone on its single connection (`exclusive`) instead of taking locks.
 */
export class TypeormInventoryStore implements InventoryStore {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (tx: InventoryTransaction) => Promise<T>): Promise<T> {
    return exclusive(this.dataSource, () =>
      this.dataSource.transaction((manager) =>
        work(
          isEmbeddedSql(this.dataSource)
            ? new EmbeddedInventoryTransaction(manager)
            : new TypeormInventoryTransaction(manager),
        ),
      ),
    );
  }

  async findItems(productIds: readonly string[]): Promise<readonly StockItem[]> {
    if (productIds.length === 0) return [];
    const rows = await exclusive(this.dataSource, () =>
      this.dataSource.getRepository(InventoryItemEntity).findBy({ productId: In([...productIds]) }),
    );
    return rows.map(toStockItem);
  }

  async ping(): Promise<void> {
    await exclusive(this.dataSource, () => this.dataSource.query('SELECT 1'));
  }
}

/** A PostgreSQL transaction: advisory and row locks, deltas checked with RETURNING. */
class TypeormInventoryTransaction implements InventoryTransaction {
  constructor(protected readonly manager: EntityManager) {}

  async lockOrder(orderId: string): Promise<void> {
    // Released at commit or rollback; orders are locked before stock rows, always in that order.
    await this.manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `reservation:${orderId}`,
    ]);
  }

  async lockItems(productIds: readonly string[]): Promise<ReadonlyMap<string, StockItem>> {
    const ids = [...new Set(productIds)];
    if (ids.length === 0) return new Map();
    // FOR UPDATE locks rows as the sorted scan returns them: every transaction locks in one order.
    const rows = await this.manager
      .getRepository(InventoryItemEntity)
      .createQueryBuilder('item')
      .where('item.productId IN (:...ids)', { ids })
      .orderBy('item.productId', 'ASC')
      .setLock('pessimistic_write')
      .getMany();
    return new Map(rows.map((row) => [row.productId, toStockItem(row)]));
  }

  async insertItem(item: StockItem): Promise<boolean> {
    const result = await this.manager
      .createQueryBuilder()
      .insert()
      .into(InventoryItemEntity)
      .values(toItemRow(item))
      .orIgnore()
      .returning(['productId'])
      .execute();
    const inserted: unknown = result.raw;
    return Array.isArray(inserted) && inserted.length > 0;
  }

  async updateItems(changes: readonly StockChange[]): Promise<void> {
    for (const { item, delta } of changes) {
      const result: unknown = await this.manager.query(
        `UPDATE inventory_item
            SET available = available + $2, reserved = reserved + $3, low_stock_level = $4, updated_at = $5,
                version = version + 1
          WHERE product_id = $1
          RETURNING available, reserved, version`,
        [item.productId, delta.available, delta.reserved, item.lowStockLevel, item.updatedAt],
      );
      const row: unknown = Array.isArray(result) && Array.isArray(result[0]) ? result[0][0] : undefined;
      if (!isRowState(row) || !sameState(row, item)) {
        // Only possible if the row was changed without holding its lock; the transaction rolls back and is retried.
        throw new Error(`Stock of ${item.productId} changed concurrently`);
      }
    }
  }

  async findReservation(orderId: string): Promise<Reservation | undefined> {
    const row = await this.manager.getRepository(ReservationEntity).findOneBy({ orderId });
    return row ? toReservation(row) : undefined;
  }

  async saveReservation(reservation: Reservation): Promise<void> {
    await this.manager.getRepository(ReservationEntity).upsert(
      {
        orderId: reservation.orderId,
        status: reservation.status,
        items: reservation.items.map(({ productId, quantity }) => ({ productId, quantity })),
        updatedAt: reservation.updatedAt,
      },
      ['orderId'],
    );
  }

  markProcessed(consumer: string, eventId: string): Promise<boolean> {
    return markProcessed(this.manager, consumer, eventId);
  }

  enqueue(events: readonly OutgoingEvent[]): Promise<void> {
    return enqueueEvents(this.manager, events);
  }
}

/**
 * A transaction on the embedded SQLite database. It runs alone (see `exclusive`), which is what
 * the locks achieve on PostgreSQL; the same deltas and CHECK constraints guard the counts.
 */
class EmbeddedInventoryTransaction extends TypeormInventoryTransaction {
  override lockOrder(): Promise<void> {
    return Promise.resolve();
  }

  override async lockItems(productIds: readonly string[]): Promise<ReadonlyMap<string, StockItem>> {
    const ids = [...new Set(productIds)];
    if (ids.length === 0) return new Map();
    const rows = await this.items.findBy({ productId: In(ids) });
    return new Map(rows.map((row) => [row.productId, toStockItem(row)]));
  }

  override async insertItem(item: StockItem): Promise<boolean> {
    if (await this.items.existsBy({ productId: item.productId })) return false;
    await this.items.insert(toItemRow(item));
    return true;
  }

  override async updateItems(changes: readonly StockChange[]): Promise<void> {
    for (const { item, delta } of changes) {
      await this.manager
        .createQueryBuilder()
        .update(InventoryItemEntity)
        .set({
          available: () => 'available + :availableDelta',
          reserved: () => 'reserved + :reservedDelta',
          lowStockLevel: item.lowStockLevel,
          updatedAt: item.updatedAt,
          version: () => 'version + 1',
        })
        .where('product_id = :productId', { productId: item.productId })
        .setParameters({ availableDelta: delta.available, reservedDelta: delta.reserved })
        .execute();
      const row = await this.items.findOneBy({ productId: item.productId });
      if (!row || !sameState(row, item)) {
        throw new Error(`Stock of ${item.productId} changed concurrently`);
      }
    }
  }

  private get items() {
    return this.manager.getRepository(InventoryItemEntity);
  }
}

function toStockItem(row: InventoryItemRow): StockItem {
  return {
    productId: row.productId,
    available: row.available,
    reserved: row.reserved,
    reorderThreshold: row.reorderThreshold,
    lowStockLevel: row.lowStockLevel,
    updatedAt: row.updatedAt,
    version: row.version,
  };
}

function toItemRow(item: StockItem): InventoryItemRow {
  return { ...item };
}

function toReservation(row: ReservationRow): Reservation {
  return { orderId: row.orderId, status: row.status, items: parseLines(row.items), updatedAt: row.updatedAt };
}

type RowState = Pick<StockItem, 'available' | 'reserved' | 'version'>;

function isRowState(value: unknown): value is RowState {
  if (typeof value !== 'object' || value === null) return false;
  const { available, reserved, version } = value as Record<string, unknown>;
  return typeof available === 'number' && typeof reserved === 'number' && typeof version === 'number';
}

/** The row as stored after an update is the item the change expected (else a writer skipped the lock). */
function sameState(row: RowState, item: StockItem): boolean {
  return row.available === item.available && row.reserved === item.reserved && row.version === item.version;
}

/** The jsonb column is only as typed as what was written: check it on the way out. */
function parseLines(value: unknown): OrderLine[] {
  if (!Array.isArray(value)) throw new Error('reservation.items is not an array');
  return value.map((line: unknown) => {
    if (typeof line !== 'object' || line === null) throw new Error('reservation.items holds a non-object');
    const { productId, quantity } = line as Record<string, unknown>;
    if (typeof productId !== 'string' || typeof quantity !== 'number')
      throw new Error('reservation.items line is malformed');
    return { productId, quantity };
  });
}
