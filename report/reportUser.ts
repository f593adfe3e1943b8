import type { Warehouse } from '../sql/warehouse.ts';
import { generatePassword } from '../server/auth/passwords.ts';
import { createUser, setPassword } from '../server/auth/users.ts';

/**
 * Printed packs are board output, fetched as a board user would fetch them, so they are suppressed
 * and logged like any other look. The report user is an ordinary board account whose password is
 * replaced with a fresh random one on every run and never shown.
 */
export const reportUsername = 'lscb-report';

export async function reportCredentials(warehouse: Warehouse): Promise<{ username: string; password: string }> {
  const password = generatePassword();
  const [existing] = await warehouse.query('SELECT 1 FROM users WHERE username = $u', { u: reportUsername });
  if (existing) await setPassword(warehouse, reportUsername, password);
  else await createUser(warehouse, { username: reportUsername, role: 'board', password });
  return { username: reportUsername, password };
}
