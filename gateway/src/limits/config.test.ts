import { ConfigError } from '@commerce/common/config';
import { describe, expect, it } from 'vitest';
import { readOperationLimits } from './config.js';
import { defaultOperationLimits } from './operation-limits.js';

describe('readOperationLimits', () => {
  it('gives the default limits when nothing is set', () => {
    const limits = readOperationLimits({});
    expect(limits).toEqual(defaultOperationLimits);
    expect(Object.isFrozen(limits)).toBe(true);
  });

  it('reads each limit from its variable', () => {
    expect(
      readOperationLimits({
        OPERATION_MAX_DEPTH: '9',
        OPERATION_MAX_ALIASES: '0',
        OPERATION_MAX_TOKENS: '4000',
        OPERATION_MAX_DIRECTIVES: '5',
        OPERATION_MAX_COST: '20000',
        OPERATION_LIST_SIZE: '25',
      }),
    ).toEqual({
      maxDepth: 9,
      maxAliases: 0,
      maxTokens: 4000,
      maxDirectives: 5,
      maxCost: 20000,
      listSize: 25,
    });
  });

  it('switches every limit off with OPERATION_LIMITS=off', () => {
    expect(readOperationLimits({ OPERATION_LIMITS: 'off', OPERATION_MAX_DEPTH: '3' })).toBe('off');
    expect(readOperationLimits({ OPERATION_LIMITS: 'on' })).toEqual(defaultOperationLimits);
  });

  it('fails naming the variable whose value is not usable', () => {
    expect(() => readOperationLimits({ OPERATION_MAX_COST: 'lots' })).toThrow(
      new ConfigError('OPERATION_MAX_COST must be a non-negative integer, got "lots"'),
    );
    expect(() => readOperationLimits({ OPERATION_LIMITS: 'maybe' })).toThrow(/OPERATION_LIMITS/);
  });
});
