import { badInput } from '@commerce/common/errors';

/** The password rule, as users read it in the error message. */
export const passwordRule =
  'Password must be at least 8 characters long and contain at least one letter and one digit';

const maxPasswordLength = 1024;
const maxEmailLength = 254;
const maxNameLength = 100;
const maxAddressFieldLength = 200;
const emailPattern = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const phonePattern = /^\+?[0-9][0-9 ().-]*$/;

/** Emails are compared and stored trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The normalized email, or BAD_USER_INPUT when it is not an email address. */
export function validEmail(email: string): string {
  const normalized = normalizeEmail(email);
  if (normalized.length > maxEmailLength || !emailPattern.test(normalized)) {
    throw badInput('Email must be a valid email address', { field: 'email' });
  }
  return normalized;
}

/** True when the password may be stored: at least 8 characters, a letter and a digit. */
export function meetsPasswordPolicy(password: string): boolean {
  const length = [...password].length;
  return length >= 8 && length <= maxPasswordLength && /\p{L}/u.test(password) && /\p{Nd}/u.test(password);
}

/** Throws BAD_USER_INPUT naming the rule when the password breaks it. */
export function checkPasswordPolicy(password: string): void {
  if (meetsPasswordPolicy(password)) return;
  const tooLong = [...password].length > maxPasswordLength;
  throw badInput(tooLong ? `Password must be at most ${maxPasswordLength} characters long` : passwordRule, {
    field: 'password',
  });
}

/** A trimmed, non-empty text of at most `max` characters, or BAD_USER_INPUT naming the field. */
export function requiredText(value: string, field: string, label: string, max = maxNameLength): string {
  const trimmed = value.trim();
  if (!trimmed) throw badInput(`${label} must not be empty`, { field });
  if (trimmed.length > max) throw badInput(`${label} must be at most ${max} characters long`, { field });
  return trimmed;
}

/** An optional text: absent or blank becomes null. */
export function optionalText(
  value: string | null | undefined,
  field: string,
  label: string,
  max: number,
): string | null {
  if (value === null || value === undefined || !value.trim()) return null;
  return requiredText(value, field, label, max);
}

/** A phone number (digits with optional +, spaces, dots, dashes, parentheses) or null when blank. */
export function validPhone(phone: string | null | undefined): string | null {
  const trimmed = phone?.trim();
  if (!trimmed) return null;
  const digits = trimmed.replace(/\D/g, '').length;
  if (!phonePattern.test(trimmed) || digits < 7 || digits > 15 || trimmed.length > 32) {
    throw badInput('Phone must be a phone number of 7 to 15 digits', { field: 'phone' });
  }
  return trimmed;
}

export interface RegistrationInput {
  readonly email: string;
  readonly password: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly phone?: string | null | undefined;
}

export interface ValidRegistration {
  readonly email: string;
  readonly password: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly phone: string | null;
}

/** Checks every field of a registration and returns it normalized. */
export function validateRegistration(input: RegistrationInput): ValidRegistration {
  const email = validEmail(input.email);
  checkPasswordPolicy(input.password);
  return {
    email,
    password: input.password,
    firstName: requiredText(input.firstName, 'firstName', 'First name'),
    lastName: requiredText(input.lastName, 'lastName', 'Last name'),
    phone: validPhone(input.phone),
  };
}

export interface ProfileInput {
  readonly firstName?: string | null | undefined;
  readonly lastName?: string | null | undefined;
  readonly phone?: string | null | undefined;
}

/** The fields to change; a name left out (or null) stays, a phone set to null or blank is removed. */
export interface ProfilePatch {
  readonly firstName?: string;
  readonly lastName?: string;
  readonly phone?: string | null;
}

export function validateProfileUpdate(input: ProfileInput): ProfilePatch {
  return {
    ...(input.firstName != null
      ? { firstName: requiredText(input.firstName, 'firstName', 'First name') }
      : {}),
    ...(input.lastName != null ? { lastName: requiredText(input.lastName, 'lastName', 'Last name') } : {}),
    ...(input.phone !== undefined ? { phone: validPhone(input.phone) } : {}),
  };
}

export interface AddressInput {
  readonly line1: string;
  readonly line2?: string | null | undefined;
  readonly city: string;
  readonly state: string;
  readonly postalCode: string;
  readonly country: string;
  readonly isDefault?: boolean | null | undefined;
}

export interface ValidAddress {
  readonly line1: string;
  readonly line2: string | null;
  readonly city: string;
  readonly state: string;
  readonly postalCode: string;
  readonly country: string;
  /** Whether the caller asked for this address to become the default. */
  readonly isDefault: boolean;
}

export function validateAddress(input: AddressInput): ValidAddress {
  const max = maxAddressFieldLength;
  return {
    line1: requiredText(input.line1, 'line1', 'Address line 1', max),
    line2: optionalText(input.line2, 'line2', 'Address line 2', max),
    city: requiredText(input.city, 'city', 'City', max),
    state: requiredText(input.state, 'state', 'State', max),
    postalCode: requiredText(input.postalCode, 'postalCode', 'Postal code', max),
    country: requiredText(input.country, 'country', 'Country', max),
    isDefault: input.isDefault === true,
  };
}
