import { ConfigError, readInt, readString, type Env } from '@commerce/common/config';
import {
  defaultOperationLimits,
  operationLimitVariables,
  type OperationLimitsSetting,
} from './operation-limits.js';

/**
 * The gateway's operation limits from the environment: OPERATION_LIMITS `on` (default) or `off`,
 * and each limit's variable (OPERATION_MAX_DEPTH, OPERATION_MAX_ALIASES, OPERATION_MAX_TOKENS,
 * OPERATION_MAX_DIRECTIVES, OPERATION_MAX_COST, OPERATION_LIST_SIZE), defaulting to
 * `defaultOperationLimits`. Throws ConfigError naming a variable that is not a non-negative integer.
 */
export function readOperationLimits(env: Env): OperationLimitsSetting {
  const switched = readString(env, 'OPERATION_LIMITS', 'on').toLowerCase();
  if (switched === 'off') return 'off';
  if (switched !== 'on') throw new ConfigError(`OPERATION_LIMITS must be "on" or "off", got "${switched}"`);
  const defaults = defaultOperationLimits;
  const variables = operationLimitVariables;
  return Object.freeze({
    maxDepth: readInt(env, variables.depth, defaults.maxDepth),
    maxAliases: readInt(env, variables.aliases, defaults.maxAliases),
    maxTokens: readInt(env, variables.tokens, defaults.maxTokens),
    maxDirectives: readInt(env, variables.directives, defaults.maxDirectives),
    maxCost: readInt(env, variables.cost, defaults.maxCost),
    listSize: readInt(env, 'OPERATION_LIST_SIZE', defaults.listSize),
  });
}
