import { writeFileSync } from 'node:fs';
import { composeSupergraph, supergraphPath } from './composition.js';

try {
  writeFileSync(supergraphPath, composeSupergraph());
  console.log(`Wrote ${supergraphPath}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
