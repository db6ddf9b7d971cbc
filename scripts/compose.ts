import { writeFileSync } from 'node:fs';
import { apiSchemaPath, composeSupergraph, supergraphPath } from '@commerce/supergraph';

try {
  const { supergraphSdl, apiSchemaSdl } = composeSupergraph();
  writeFileSync(supergraphPath, supergraphSdl);
  writeFileSync(apiSchemaPath, apiSchemaSdl);
  console.log(`Wrote ${supergraphPath} and ${apiSchemaPath}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
