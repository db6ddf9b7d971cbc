import { subgraphs, type ListedSubgraph, type SubgraphName } from './subgraphs.js';

/** Runs `work` for every listed subgraph at once; resolves with the results by name. */
export async function forEachSubgraph<T>(
  work: (subgraph: ListedSubgraph) => Promise<T>,
): Promise<Record<SubgraphName, T>> {
  const results = await Promise.all(
    subgraphs.map(async (subgraph) => [subgraph.name, await work(subgraph)] as const),
  );
  // fromEntries types its keys as string; every name of the list is a key here.
  return Object.fromEntries(results) as Record<SubgraphName, T>;
}

/** The same record with every value mapped. */
export function mapSubgraphs<T, U>(
  byName: Readonly<Record<SubgraphName, T>>,
  map: (value: T, name: SubgraphName) => U,
): Record<SubgraphName, U> {
  const entries = subgraphs.map(({ name }) => [name, map(byName[name], name)] as const);
  // fromEntries types its keys as string; every name of the list is a key here.
  return Object.fromEntries(entries) as Record<SubgraphName, U>;
}
