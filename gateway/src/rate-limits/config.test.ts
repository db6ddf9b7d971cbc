import { describe, expect, it } from 'vitest';
import { capVariables, loadRateLimitConfig, parseRate, rateVariables } from './config.js';
import { defaultRateLimitSettings } from './settings.js';

describe('loadRateLimitConfig', () => {
  it('is the defaults, frozen, with no variable set', () => {
    const settings = loadRateLimitConfig({});
    expect(settings).toEqual(defaultRateLimitSettings);
    expect(Object.isFrozen(settings.rates)).toBe(true);
    expect(Object.isFrozen(settings.caps)).toBe(true);
  });

  it('reads each rate as <points>/<window> and each cap as an integer', () => {
    const settings = loadRateLimitConfig({
      RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: '5/10m',
      RATE_LIMIT_REQUESTS_PER_ADDRESS: ' 100 / 30 ',
      RATE_LIMIT_REGISTRATIONS_PER_ADDRESS: '3/1h',
      WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: '10',
      TRUSTED_PROXIES: '1',
    });
    expect(settings.rates.loginFailuresPerAccount).toEqual({ points: 5, seconds: 600 });
    expect(settings.rates.requestsPerAddress).toEqual({ points: 100, seconds: 30 });
    expect(settings.rates.registrationsPerAddress).toEqual({ points: 3, seconds: 3600 });
    expect(settings.rates.refreshesPerAddress).toEqual(defaultRateLimitSettings.rates.refreshesPerAddress);
    expect(settings.caps.subscriptionsPerConnection).toBe(10);
    expect(settings.caps.openConnectionsPerAddress).toBe(
      defaultRateLimitSettings.caps.openConnectionsPerAddress,
    );
    expect(settings.trustedProxies).toBe(1);
  });

  it('has a variable for every rate and cap', () => {
    expect(Object.keys(rateVariables).sort()).toEqual(Object.keys(defaultRateLimitSettings.rates).sort());
    expect(Object.keys(capVariables).sort()).toEqual(Object.keys(defaultRateLimitSettings.caps).sort());
  });

  it('names the variable that is malformed', () => {
    for (const raw of ['10', '10/', '0/1m', '5/0', '5/1d', 'ten/1m', '-1/1m'])
      expect(() => loadRateLimitConfig({ RATE_LIMIT_CONNECTIONS_PER_USER: raw })).toThrow(
        'RATE_LIMIT_CONNECTIONS_PER_USER',
      );
    expect(() => loadRateLimitConfig({ WS_MAX_CONNECTIONS_PER_USER: '0' })).toThrow(
      'WS_MAX_CONNECTIONS_PER_USER',
    );
    expect(() => loadRateLimitConfig({ WS_MAX_DISTINCT_OPERATIONS: 'many' })).toThrow(
      'WS_MAX_DISTINCT_OPERATIONS',
    );
  });

  it('parses windows in seconds, minutes and hours', () => {
    expect(parseRate('X', '1/1')).toEqual({ points: 1, seconds: 1 });
    expect(parseRate('X', '20/45s')).toEqual({ points: 20, seconds: 45 });
    expect(parseRate('X', '20/2h')).toEqual({ points: 20, seconds: 7200 });
  });
});
