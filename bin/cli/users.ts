import { existsSync } from 'node:fs';
import { Warehouse, defaultWarehousePath } from '../../sql/warehouse.ts';
import {
  createUser,
  isRole,
  listUsers,
  roles,
  setDisabled,
  setPassword,
  UserError,
  type CreatedUser,
} from '../../server/auth/users.ts';
import { parseFlags, UsageError, type Command } from './command.ts';
import { textTable } from './textTable.ts';

const help = `Usage: lscb users <action> [options]

Who may sign in to LSCB Insight, and with which role (docs/SECURITY.md):
  board    aggregate figures only, always small-number suppressed
  lead     the neglect strategy lead: unsuppressed aggregate figures, never child-level data
  officer  unsuppressed figures, the case lists behind them, and children's identities
  admin    loads, users and the access log, and everything an officer sees

Actions:
  add NAME --role board|lead|officer|admin
                                        add a user; prints a one-time password they must change
                                        at first sign-in (or reads one with --password-stdin)
  list                                  list users, roles and status (never passwords or hashes)
  disable NAME                          refuse every later sign-in and request by NAME
  enable NAME                           undo disable
  reset-password NAME                   print a new one-time password (or --password-stdin)

Options:
  --db FILE          warehouse file (default ${defaultWarehousePath})
  --role ROLE        for add: ${roles.join(', ')}
  --password-stdin   for add and reset-password: read the password from standard input
                     (at least 12 characters) instead of generating a one-time password
  --json             for list: print JSON

The server holds the warehouse open: stop 'lscb serve' or 'lscb start' before changing users.`;

export const command: Command = {
  name: 'users',
  summary: 'Add, list and disable the people who may sign in',
  help,
  async run(argv) {
    const { values, positionals } = parseFlags('users', argv, {
      db: { type: 'string' },
      role: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    });
    const [action, name, ...extra] = positionals;
    const takesName = action === 'add' || action === 'disable' || action === 'enable' || action === 'reset-password';
    if (action !== 'list' && !takesName)
      throw new UsageError(`lscb users: say add, list, disable, enable or reset-password. Try 'lscb users --help'.`);
    if (takesName && name === undefined)
      throw new UsageError(`lscb users ${action}: name the user, e.g. 'lscb users ${action} jo.bloggs'.`);
    if (extra.length > 0 || (action === 'list' && name !== undefined))
      throw new UsageError(`lscb users ${action}: unexpected '${extra[0] ?? name}'.`);
    if (values.role !== undefined && action !== 'add')
      throw new UsageError(`lscb users ${action}: --role is only for add.`);
    if (values['password-stdin'] && action !== 'add' && action !== 'reset-password') {
      throw new UsageError(`lscb users ${action}: --password-stdin is only for add and reset-password.`);
    }
    if (action === 'add' && !isRole(values.role)) {
      throw new UsageError(
        `lscb users add: --role must be one of ${roles.join(', ')}${values.role === undefined ? '' : `, not '${values.role}'`}.`,
      );
    }
    const dbPath = values.db ?? defaultWarehousePath;
    if (!existsSync(dbPath))
      throw new UsageError(`lscb users: no warehouse at ${dbPath}. Run 'lscb load' or 'lscb demo' first.`);
    // Read before the warehouse is opened, so a slow typist does not hold its lock.
    const chosenPassword = values['password-stdin'] ? await passwordFromStdin() : undefined;

    const warehouse = await openForWriting(dbPath);
    try {
      switch (action) {
        case 'list': {
          const users = await listUsers(warehouse);
          console.log(
            values.json ? JSON.stringify(users, null, 2) : textTable(users as unknown as Record<string, unknown>[]),
          );
          break;
        }
        case 'add':
          printPassword(
            'Added',
            await createUser(warehouse, {
              username: name!,
              role: values.role as (typeof roles)[number],
              password: chosenPassword,
            }),
          );
          break;
        case 'reset-password':
          printPassword('Reset the password of', await setPassword(warehouse, name!, chosenPassword));
          break;
        case 'disable':
        case 'enable':
          await setDisabled(warehouse, name!, action === 'disable');
          console.log(
            action === 'disable'
              ? `Disabled '${name!.toLowerCase()}': they can no longer sign in.`
              : `Enabled '${name!.toLowerCase()}'.`,
          );
          break;
      }
      return 0;
    } catch (err) {
      if (err instanceof UserError) throw new UsageError(`lscb users ${action}: ${err.message}.`);
      throw err;
    } finally {
      warehouse.close();
    }
  },
};

function printPassword(verb: string, user: CreatedUser): void {
  if (!user.oneTime) {
    console.log(`${verb} ${user.role} '${user.username}' with the password read from standard input.`);
    return;
  }
  console.log(`${verb} ${user.role} '${user.username}'. One-time password, shown only now (they must change it at first sign-in):

    ${user.password}
`);
}

async function passwordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) console.error('Type the password, then Enter and Ctrl-D:');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // Only the newline `echo` or a terminal adds is dropped; any other character is part of the password.
  const password = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (password === '') throw new UsageError('lscb users: --password-stdin read no password from standard input.');
  return password;
}

async function openForWriting(dbPath: string): Promise<Warehouse> {
  try {
    return await Warehouse.open(dbPath);
  } catch (err) {
    // DuckDB allows one writing process per file: most likely the server has it.
    if (/lock/i.test((err as Error).message)) {
      throw new UsageError(
        `lscb users: ${dbPath} is open in another process (a running 'lscb serve' or 'lscb start'?). Stop it, run this again, then start it again.`,
      );
    }
    throw err;
  }
}
