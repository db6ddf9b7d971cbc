import { readFileSync } from 'node:fs';
import { defaultOperationLimits, OperationLimiter } from '@commerce/gateway';
import {
  buildSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  parse,
  print,
  specifiedRules,
  typeFromAST,
  validate,
  type DocumentNode,
  type GraphQLInputType,
  type OperationDefinitionNode,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { playgroundTabs } from '../../gateway/src/playground/examples.js';
import * as generated from './generated/graphql.js';

const schema = buildSchema(readFileSync(new URL('../../schema/api.graphql', import.meta.url), 'utf8'));

/**
 * The defaults with a third or less of their room: every operation must fit these, so that the
 * defaults leave it well inside (at least two levels of depth, five times the tokens, three times
 * the cost, and aliases or directives it does not use).
 */
const tight = new OperationLimiter({
  ...defaultOperationLimits,
  maxDepth: defaultOperationLimits.maxDepth - 2,
  maxAliases: 0,
  maxTokens: defaultOperationLimits.maxTokens / 5,
  maxDirectives: 0,
  maxCost: defaultOperationLimits.maxCost / 3,
});

/** A value of `type` that coerces (the cost only reads `first`; the rest just has to be valid). */
function sample(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return [sample(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0]?.value;
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter((field) => isNonNullType(field.type));
    return Object.fromEntries(fields.map((field) => [field.name, sample(field.type)]));
  }
  return { Int: 100, Float: 1.5, Boolean: true }[getNamedType(type).name] ?? 'x';
}

function variablesOf(operation: OperationDefinitionNode): Record<string, unknown> {
  return Object.fromEntries(
    (operation.variableDefinitions ?? []).map(({ variable, type }) => [
      variable.name.value,
      sample(typeFromAST(schema, type as never) as GraphQLInputType),
    ]),
  );
}

const documents: [string, DocumentNode][] = [
  ...Object.entries(generated)
    .filter((entry): entry is [string, DocumentNode] => (entry[1] as DocumentNode).kind === Kind.DOCUMENT)
    .map(([name, document]): [string, DocumentNode] => [`typed client ${name}`, parse(print(document))]),
  ...playgroundTabs.map(({ query }, i): [string, DocumentNode] => [`playground tab ${i + 1}`, parse(query)]),
  [
    'GraphiQL introspection',
    parse(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true })),
  ],
];

describe('the default operation limits', () => {
  it('cover every operation of the typed client, the playground and GraphiQL', () => {
    expect(documents.length).toBeGreaterThan(20);
  });

  it.each(documents)('leave %s well inside', (_, document) => {
    const refusals = (): unknown[] => {
      try {
        parse(print(document), tight.parseOptions);
      } catch (error) {
        return [tight.refusalOf(error) ?? error];
      }
      return [...validate(schema, document, [...specifiedRules, ...tight.validationRules])];
    };
    expect(refusals()).toEqual([]);
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      const name = definition.name?.value;
      expect(tight.costRefusal(schema, document, name, variablesOf(definition))).toBeUndefined();
    }
  });
});
