import { inventorySubgraph } from '@commerce/inventory';
import { ordersSubgraph } from '@commerce/orders';
import { productsSubgraph } from '@commerce/products';
import { usersSubgraph } from '@commerce/users';

/**
 * The supergraph: every subgraph, in start order. `npm start` (both modes), the containers, the
 * test harness, composition, codegen and the gateway's URL configuration all read this list;
 * adding a subgraph is a folder, an SDL file, one entry here and a compose service.
 */
export const subgraphs = [usersSubgraph, productsSubgraph, inventorySubgraph, ordersSubgraph] as const;

export type SubgraphName = (typeof subgraphs)[number]['name'];
export type ListedSubgraph = (typeof subgraphs)[number];

export function findSubgraph(name: string): ListedSubgraph | undefined {
  return subgraphs.find((subgraph) => subgraph.name === name);
}
