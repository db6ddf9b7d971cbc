/** A Product as this subgraph knows it: only its key (other fields belong to the products subgraph). */
export interface ProductRef {
  readonly id: string;
}

export type { StockItem } from './domain/stock.js';
