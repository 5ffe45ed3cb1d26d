// Asserts that a check fails as bad input should: an InputError with a one-line message, which it returns.
import { InputError } from '../../src/errors';

export function inputErrorFrom(check: () => unknown): string {
  try {
    check();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected an InputError, but the check passed');
}
