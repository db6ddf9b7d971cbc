import { AppError } from '@commerce/common/errors';
import { describe, expect, it } from 'vitest';
import {
  checkPasswordPolicy,
  meetsPasswordPolicy,
  normalizeEmail,
  passwordRule,
  validateAddress,
  validateProfileUpdate,
  validateRegistration,
  validEmail,
  validPhone,
} from './validation.js';

function errorOf(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('email', () => {
  it('normalizes emails by trimming and lower-casing them', () => {
    expect(normalizeEmail('  Ada.Lovelace@Example.COM ')).toBe('ada.lovelace@example.com');
    expect(validEmail(' Bob@Example.org')).toBe('bob@example.org');
  });

  it.each([
    '',
    'plain',
    'a@b',
    '@example.com',
    'a b@example.com',
    'a@example.',
    `${'x'.repeat(250)}@example.com`,
  ])('refuses %j as BAD_USER_INPUT', (email) => {
    const error = errorOf(() => validEmail(email));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.details).toEqual({ field: 'email' });
  });
});

describe('password policy', () => {
  it.each(['abcdefg1', 'Pässwort9', 'correct horse battery 7'])('accepts %j', (password) => {
    expect(meetsPasswordPolicy(password)).toBe(true);
    expect(() => checkPasswordPolicy(password)).not.toThrow();
  });

  it.each([
    ['shorter than 8', 'abc123'],
    ['without a digit', 'abcdefghij'],
    ['without a letter', '1234567890'],
    ['empty', ''],
  ])('refuses a password %s with BAD_USER_INPUT naming the rule', (_case, password) => {
    const error = errorOf(() => checkPasswordPolicy(password));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toBe(passwordRule);
  });

  it('refuses passwords longer than 1024 characters', () => {
    expect(errorOf(() => checkPasswordPolicy(`a1${'x'.repeat(1100)}`)).message).toMatch(/at most 1024/);
  });
});

describe('registration', () => {
  const valid = { email: 'New@Example.com', password: 'secret123', firstName: ' Ada ', lastName: 'Lovelace' };

  it('returns the registration normalized', () => {
    expect(validateRegistration({ ...valid, phone: ' ' })).toEqual({
      email: 'new@example.com',
      password: 'secret123',
      firstName: 'Ada',
      lastName: 'Lovelace',
      phone: null,
    });
  });

  it.each(['firstName', 'lastName'] as const)('refuses a blank %s', (field) => {
    const error = errorOf(() => validateRegistration({ ...valid, [field]: '   ' }));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.details).toEqual({ field });
  });
});

describe('phone', () => {
  it('keeps a plausible phone number, trimmed', () => {
    expect(validPhone(' +1 (555) 010-9999 ')).toBe('+1 (555) 010-9999');
  });

  it('treats blank or missing as no phone', () => {
    expect(validPhone('  ')).toBeNull();
    expect(validPhone(null)).toBeNull();
    expect(validPhone(undefined)).toBeNull();
  });

  it.each(['12345', 'call me', '+1 555 0100 ext 5', '1'.repeat(16)])('refuses %j', (phone) => {
    expect(errorOf(() => validPhone(phone)).details).toEqual({ field: 'phone' });
  });
});

describe('profile update', () => {
  it('changes only the fields given; a null phone removes it', () => {
    expect(validateProfileUpdate({ firstName: ' Grace ' })).toEqual({ firstName: 'Grace' });
    expect(validateProfileUpdate({ phone: null })).toEqual({ phone: null });
    expect(validateProfileUpdate({ firstName: null, lastName: undefined })).toEqual({});
  });

  it('refuses an empty name', () => {
    expect(errorOf(() => validateProfileUpdate({ lastName: '' })).details).toEqual({ field: 'lastName' });
  });
});

describe('address', () => {
  const address = {
    line1: '1 Main St',
    city: 'Springfield',
    state: 'IL',
    postalCode: '62701',
    country: 'US',
  };

  it('trims fields, turns a blank line2 into null and defaults isDefault to false', () => {
    expect(validateAddress({ ...address, line1: ' 1 Main St ', line2: ' ' })).toEqual({
      ...address,
      line2: null,
      isDefault: false,
    });
  });

  it.each(['line1', 'city', 'state', 'postalCode', 'country'] as const)('refuses a blank %s', (field) => {
    const error = errorOf(() => validateAddress({ ...address, [field]: ' ' }));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.details).toEqual({ field });
  });
});
