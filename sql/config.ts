import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { projectRoot } from './files.ts';

/**
 * The local authority a warehouse describes: lscb.config.json in the project root, or the file named
 * by the environment variable LSCB_CONFIG.
 */
export interface LaConfig {
  /** DfE "old" three-digit LA code, as in the DfE files' `old_la_code`. */
  la_code: string;
  la_name: string;
  /**
   * For an LA with no DfE figures of its own (the fictional demo): a real LA whose region and
   * statistical neighbours stand in for it.
   */
  benchmark_la_code?: string;
  /** The partnership whose board reads the pack (cover and every printed page); see partnershipName. */
  partnership_name?: string;
}

/** The configured partnership name, or the usual one for the LA: "<LA> Safeguarding Children Partnership". */
export function partnershipName(config: Pick<LaConfig, 'la_name' | 'partnership_name'>): string {
  return config.partnership_name ?? `${config.la_name} Safeguarding Children Partnership`;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * How much of the machine lscb uses, where the defaults (sql/machine.ts) are wrong for it: optional
 * keys of the same file, because one file is what an LA's administrator edits.
 */
export interface MachineConfig {
  /** DuckDB's worker threads. */
  duckdb_threads?: number;
  /** Worker threads staging census and Annex A files during a load. */
  staging_workers?: number;
  /** DuckDB's memory_limit, as a size with its unit ("4GB", "1.5GiB"). */
  duckdb_memory_limit?: string;
  /** Where DuckDB spills what does not fit in its memory limit. */
  duckdb_temp_directory?: string;
}

const threadKeys = ['duckdb_threads', 'staging_workers'] as const;
const memoryKeys = ['duckdb_memory_limit', 'duckdb_temp_directory'] as const;
const machineKeys = [...threadKeys, ...memoryKeys] as const;
const knownKeys = ['la_code', 'la_name', 'benchmark_la_code', 'partnership_name', 'note', 'sso', ...machineKeys];
const laCodePattern = /^\d{3}$/;

export function configPath(): string {
  return process.env['LSCB_CONFIG'] ?? resolve(projectRoot, 'lscb.config.json');
}

/** A whole number of threads: at least 1, and no more than any machine lscb runs on would have. */
export function threadCountProblem(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 256) return undefined;
  return `must be a whole number of threads from 1 to 256, not ${JSON.stringify(value)}`;
}

/** A memory size: a number, then K, M, G or T, an optional `i` (powers of 1024) and B. */
export const memorySizePattern = /^\s*(\d+(?:\.\d+)?)\s*([KMGT])(i?)B\s*$/i;

/**
 * A memory size DuckDB takes for memory_limit: a number and a unit (KB, MB, GB, TB, or KiB … TiB).
 * Checked here so a typo is a configuration error naming its key, not DuckDB's parser error at open.
 */
export function memoryLimitProblem(value: unknown): string | undefined {
  if (typeof value === 'string' && memorySizePattern.test(value)) {
    if (Number.parseFloat(value) > 0) return undefined;
  }
  return `must be a memory size with its unit, such as "4GB" or "1.5GiB", not ${JSON.stringify(value)}`;
}

export function tempDirectoryProblem(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return undefined;
  return `must be a folder path, not ${JSON.stringify(value)}`;
}

function readMachineKeys(config: Record<string, unknown>, path: string): MachineConfig {
  const machine: MachineConfig = {};
  for (const key of threadKeys) {
    const value = config[key];
    if (value === undefined) continue;
    const problem = threadCountProblem(value);
    if (problem) throw new ConfigError(`${path}: "${key}" ${problem}, or left out to fit the machine`);
    machine[key] = value as number;
  }
  const limit = config['duckdb_memory_limit'];
  if (limit !== undefined) {
    const problem = memoryLimitProblem(limit);
    if (problem) throw new ConfigError(`${path}: "duckdb_memory_limit" ${problem}, or left out to fit the machine`);
    machine.duckdb_memory_limit = (limit as string).trim();
  }
  const temp = config['duckdb_temp_directory'];
  if (temp !== undefined) {
    const problem = tempDirectoryProblem(temp);
    if (problem)
      throw new ConfigError(`${path}: "duckdb_temp_directory" ${problem}, or left out to spill beside the warehouse`);
    // Relative to the configuration file, not to wherever lscb was started from.
    machine.duckdb_temp_directory = resolve(dirname(path), temp as string);
  }
  return machine;
}

/**
 * The machine settings of lscb.config.json. A missing or unreadable file gives none: the warehouse
 * opens without an LA configuration (fixtures, a fresh install), and loadConfig reports the file's
 * problems where the LA is needed. A bad thread count is refused here.
 */
export function machineConfig(path: string = configPath()): MachineConfig {
  if (!existsSync(path)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return {};
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  return readMachineKeys(raw as Record<string, unknown>, path);
}

/**
 * The "sso" section of lscb.config.json as written, or undefined: single sign-on is the server's
 * business (server/auth/oidcSettings.ts validates it), kept in the one file an administrator edits.
 */
export function ssoConfigSection(path: string = configPath()): unknown {
  if (!existsSync(path)) return undefined;
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>)['sso'];
  } catch {
    return undefined;
  }
}

export function loadConfig(path: string = configPath()): LaConfig {
  if (!existsSync(path)) {
    throw new ConfigError(
      `LA configuration not found at ${path}: create it with "la_code" and "la_name", or point LSCB_CONFIG at one`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${path}: not valid JSON (${(err as Error).message.split('\n')[0]})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`${path}: must be a JSON object with "la_code" and "la_name"`);
  }
  const config = raw as Record<string, unknown>;
  // A misspelt key would otherwise leave a fictional LA silently without comparators.
  for (const key of Object.keys(config)) {
    if (!knownKeys.includes(key))
      throw new ConfigError(`${path}: unknown key "${key}" (expected ${knownKeys.join(', ')})`);
  }
  readMachineKeys(config, path);
  const laCode = config['la_code'];
  if (laCode === undefined)
    throw new ConfigError(`${path}: "la_code" is missing: the DfE three-digit LA code (old_la_code), e.g. "350"`);
  if (typeof laCode !== 'string' || !laCodePattern.test(laCode)) {
    throw new ConfigError(
      `${path}: "la_code" must be the DfE three-digit LA code as text, e.g. "350", not ${JSON.stringify(laCode)}`,
    );
  }
  const laName = config['la_name'];
  if (typeof laName !== 'string' || laName.trim() === '')
    throw new ConfigError(`${path}: "la_name" is missing or empty`);
  const comparator = config['benchmark_la_code'];
  if (comparator !== undefined && (typeof comparator !== 'string' || !laCodePattern.test(comparator))) {
    throw new ConfigError(
      `${path}: "benchmark_la_code" must be the DfE three-digit code of a real LA, not ${JSON.stringify(comparator)}`,
    );
  }
  const partnership = config['partnership_name'];
  if (
    partnership !== undefined &&
    (typeof partnership !== 'string' || partnership.trim() === '' || partnership.length > 200)
  ) {
    throw new ConfigError(
      `${path}: "partnership_name" must be the partnership's name as text (at most 200 characters), or left out`,
    );
  }
  return {
    la_code: laCode,
    la_name: laName.trim(),
    ...(comparator !== undefined ? { benchmark_la_code: comparator } : {}),
    ...(typeof partnership === 'string' ? { partnership_name: partnership.trim() } : {}),
  };
}
