import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../../server/auth/passwords.ts';

/**
 * Issue 15: "Passwords: length plus a check against a list of common and breached passwords, with a
 * clear message." Each refused password is 12 characters or more: length alone let it through.
 */
describe('passwordProblem', () => {
  it.each([
    'password1234',
    'Password12345',
    'qwertyuiop123',
    'iloveyou12345',
    'letmein12345678',
    '1234567890123',
    'aaaaaaaaaaaa',
  ])('refuses %s, which is on or built from the common-password lists', (password) => {
    expect(passwordProblem(password)).toMatch(
      /^this password is too easy to guess: .*Try three or four unrelated words$/,
    );
  });

  it("refuses a password built from the user's own name or the product's", () => {
    expect(passwordProblem('Safeguarding2026', 'jsmith')).toMatch(/too easy to guess/);
    expect(passwordProblem('jsmithjsmith1', 'jsmith')).toMatch(/too easy to guess/);
  });

  it('takes a long phrase of unrelated words', () => {
    expect(passwordProblem('correct horse battery')).toBeUndefined();
    expect(passwordProblem('kettle-orbit-meadow-42')).toBeUndefined();
  });

  it('still checks length first, and edges', () => {
    expect(passwordProblem('short1')).toBe('a password must have at least 12 characters');
    expect(passwordProblem(' kettle orbit meadow')).toBe('a password must not start or end with spaces');
  });
});
