import { parseArgs, type ParseArgsConfig } from 'node:util';

/** One `lscb` subcommand: a thin shell over a module that does the work. */
export interface Command {
  name: string;
  summary: string;
  /** Full help text printed by `lscb NAME --help`. */
  help: string;
  run(argv: string[]): Promise<number>;
}

/** A user mistake on the command line: printed without a stack trace, exit status 2. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with unknown flags reported as a UsageError naming the command. */
export function parseFlags<O extends Options>(command: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`lscb ${command}: ${(err as Error).message}. Try 'lscb ${command} --help'.`);
  }
}

export function positiveInteger(command: string, flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replaceAll('_', ''));
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`lscb ${command}: --${flag} must be a whole number above 0, not '${value}'.`);
  return n;
}

export function isoDate(command: string, flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!m || !d || d.toISOString().slice(0, 10) !== value) {
    throw new UsageError(`lscb ${command}: --${flag} must be a real date as YYYY-MM-DD, not '${value}'.`);
  }
  return value;
}
