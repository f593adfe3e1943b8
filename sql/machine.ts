import { availableParallelism } from 'node:os';
import { ConfigError, machineConfig, threadCountProblem, type MachineConfig } from './config.ts';

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

function fromEnvironment(key: keyof MachineConfig): number | undefined {
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
