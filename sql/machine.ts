import { availableParallelism, totalmem } from 'node:os';
import { resolve } from 'node:path';
import {
  ConfigError,
  machineConfig,
  memoryLimitProblem,
  memorySizePattern,
  tempDirectoryProblem,
  threadCountProblem,
  type MachineConfig,
} from './config.ts';

/**
 * How many threads lscb gives DuckDB and the load's staging workers. Each is, first found: an
 * environment variable (one run, or a service's unit file), the key in lscb.config.json (this
 * installation), or a default fitted to the cores Node may use (availableParallelism, which honours
 * CPU affinity and container limits).
 */
export interface MachineSettings {
  duckdbThreads: number;
  stagingWorkers: number;
}

const environmentNames: Record<keyof MachineConfig, string> = {
  duckdb_threads: 'LSCB_DUCKDB_THREADS',
  staging_workers: 'LSCB_STAGING_WORKERS',
  duckdb_memory_limit: 'LSCB_DUCKDB_MEMORY_LIMIT',
  duckdb_temp_directory: 'LSCB_DUCKDB_TEMP_DIRECTORY',
};

/** DuckDB's own default: one thread per core. A census load lowers it while workers stage (loadFiles). */
export function defaultDuckdbThreads(cores: number): number {
  return Math.max(1, cores);
}

/**
 * One worker per core but the one DuckDB merges on, and two even on two cores (the machine the load
 * was measured on: reading the next census while this one merges is most of the gain, docs/BENCHMARKS.md).
 * At most four: each file in flight holds its staged text on temporary disk, and a load seldom has
 * more than six census years to read ahead.
 */
export function defaultStagingWorkers(cores: number): number {
  return Math.min(4, Math.max(Math.min(2, cores), cores - 1));
}

function fromEnvironment(key: 'duckdb_threads' | 'staging_workers'): number | undefined {
  const name = environmentNames[key];
  const text = process.env[name];
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  const problem = threadCountProblem(value);
  if (problem) throw new ConfigError(`${name} ${problem.replace(/not .*$/, `not "${text}"`)}`);
  return value;
}

export function machineSettings(cores: number = availableParallelism()): MachineSettings {
  const configured = machineConfig();
  return {
    duckdbThreads: fromEnvironment('duckdb_threads') ?? configured.duckdb_threads ?? defaultDuckdbThreads(cores),
    stagingWorkers: fromEnvironment('staging_workers') ?? configured.staging_workers ?? defaultStagingWorkers(cores),
  };
}

/**
 * How much memory DuckDB may hold and where it spills the rest (sql/warehouse.ts applies them).
 * Each is, first found: the environment (LSCB_DUCKDB_MEMORY_LIMIT, LSCB_DUCKDB_TEMP_DIRECTORY), the
 * key in lscb.config.json (duckdb_memory_limit, duckdb_temp_directory), or the default. With no
 * temp directory set, the warehouse spills into a private folder beside its file.
 */
export interface MemorySettings {
  /** A size DuckDB's memory_limit takes, e.g. "8GB". */
  duckdbMemoryLimit: string;
  duckdbTempDirectory?: string;
}

const mib = 1024 * 1024;
/** The default's ceiling: a pack or a national load needs far less, and Chromium and Node need the rest. */
export const defaultMemoryCeilingMib = 8 * 1024;

/** The default's floor, where the machine has it to spare: a 60,000-child LA never reaches it. */
export const defaultMemoryFloorMib = 1024;

/**
 * A sixteenth of the memory this process may use (a container's limit when there is one), at least
 * 1 GiB but never more than half of it, at most 8 GiB, in whole MiB: 1.5 GiB on the 24 GB machine
 * the project is measured on. Issue 17 asks that no step pass 2 GB at 12 M children; a process's
 * peak runs about 0.5 GB above DuckDB's limit (the canonical CSV load peaked at 2.7 GB under the
 * earlier default of half the machine, and at 2.09 GB under 1.5 GiB, the census year at 1.97 GB;
 * a lower limit did not lower it further: docs/BENCHMARKS.md). DuckDB's
 * own default, 80% of the machine, also leaves too little for what runs beside it: `lscb report`'s
 * Chromium, the server's Node heap, the staging workers. Beyond the limit DuckDB spills to its temp
 * directory instead of failing; a machine given to lscb alone sets `duckdb_memory_limit` higher.
 */
export function defaultMemoryLimitMib(machineBytes: number): number {
  const machineMib = Math.floor(machineBytes / mib);
  const share = Math.max(defaultMemoryFloorMib, Math.floor(machineMib / 16));
  return Math.max(128, Math.min(defaultMemoryCeilingMib, share, Math.floor(machineMib / 2)));
}

/** A memory size as memoryLimitProblem accepts it ("1536MiB", "1.5GiB", "2GB"), in whole MiB. */
export function memorySizeMib(size: string): number {
  const match = memorySizePattern.exec(size);
  if (!match) throw new Error(`not a memory size: ${size}`);
  const power = 'KMGT'.indexOf(match[2]!.toUpperCase()) + 1;
  const bytes = Number.parseFloat(match[1]!) * (match[3] ? 1024 : 1000) ** power;
  return Math.floor(bytes / mib);
}

/**
 * DuckDB's memory_limit while a batch loads: five sixths of the warehouse's. Read on every thread, a
 * canonical CSV file's rows and the hash tables joining them to their children and referrals hold
 * about half a gigabyte beyond the limit; at 12 M children the CSV load peaked at 2,018 MiB under
 * 1.5 GiB and at 1,701 MiB under 1.25 GiB, for 2% more time, and a census year's merges and rule
 * checks at 1,838-1,928 MiB against 1,659-1,736 MiB, in the same time (docs/BENCHMARKS.md).
 */
export function loadMemoryLimit(limit: string): string {
  return `${Math.max(128, Math.floor((memorySizeMib(limit) * 5) / 6))}MiB`;
}

/** What this process may use: the machine's memory, or a container's smaller limit. */
export function machineMemoryBytes(): number {
  const constrained = process.constrainedMemory();
  const total = totalmem();
  return constrained && constrained > 0 && constrained < total ? constrained : total;
}

function textFromEnvironment(name: string, problemOf: (value: unknown) => string | undefined): string | undefined {
  const text = process.env[name];
  if (text === undefined || text.trim() === '') return undefined;
  const problem = problemOf(text);
  if (problem) throw new ConfigError(`${name} ${problem}`);
  return text.trim();
}

export function memorySettings(machineBytes: number = machineMemoryBytes()): MemorySettings {
  const configured = machineConfig();
  const limit =
    textFromEnvironment(environmentNames.duckdb_memory_limit, memoryLimitProblem) ??
    configured.duckdb_memory_limit ??
    `${defaultMemoryLimitMib(machineBytes)}MiB`;
  const temp = textFromEnvironment(environmentNames.duckdb_temp_directory, tempDirectoryProblem);
  const tempDirectory = temp !== undefined ? resolve(temp) : configured.duckdb_temp_directory;
  return { duckdbMemoryLimit: limit, ...(tempDirectory !== undefined ? { duckdbTempDirectory: tempDirectory } : {}) };
}
