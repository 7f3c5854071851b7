import { GraphQLError } from 'graphql';

/**
 * Bounds on mutation inputs, each refused with a field error and a stable code:
 * INPUT_TOO_LARGE, BAD_USER_INPUT (out of range), NOT_FOUND (an unknown key), QUOTA_EXCEEDED.
 */
export class InputError extends GraphQLError {
  constructor(code: 'INPUT_TOO_LARGE' | 'BAD_USER_INPUT' | 'NOT_FOUND' | 'QUOTA_EXCEEDED', message: string, details: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...details } });
  }
}

/** A string argument of at most `max` characters (and, with `min`, at least that many). */
export function checkLength(argument: string, value: string, max: number, min = 0): void {
  if (value.length > max) throw new InputError('INPUT_TOO_LARGE', `${argument} is longer than ${max} characters`, { argument, maxLength: max });
  if (value.length < min) throw new InputError('BAD_USER_INPUT', `${argument} needs at least ${min} characters`, { argument, minLength: min });
}

/** An integer argument within [min, max]. */
export function checkRange(argument: string, value: number, min: number, max: number): void {
  if (value < min || value > max) throw new InputError('BAD_USER_INPUT', `${argument} must be between ${min} and ${max}`, { argument, min, max });
}

/** A key that must name something this subgraph already holds (writes never create unbounded entries). */
export function checkKnown(argument: string, known: boolean): void {
  if (!known) throw new InputError('NOT_FOUND', `no such ${argument}`, { argument });
}
