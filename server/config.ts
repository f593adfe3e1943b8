import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { projectRoot } from '../sql/warehouse.ts';

/** The local authority a warehouse describes (lscb.config.json, or the file named by LSCB_CONFIG). */
export interface LaConfig {
  /** DfE "old" three-digit LA code, as in the DfE statistics files. */
  la_code: string;
  la_name: string;
  region?: string;
  /** For a fictional LA: the real LA whose region and statistical neighbours stand in for it. */
  benchmark_la_code?: string;
}

export class ConfigError extends Error {}

export function loadConfig(path = process.env['LSCB_CONFIG'] ?? resolve(projectRoot, 'lscb.config.json')): LaConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${path}: cannot be read as JSON (${(err as Error).message.split('\n')[0]})`);
  }
  const config = raw as Record<string, unknown>;
  for (const key of ['la_code', 'la_name'] as const) {
    if (typeof config[key] !== 'string' || config[key] === '') throw new ConfigError(`${path}: '${key}' is required, as text`);
  }
  if (!/^\d{3}$/.test(config['la_code'] as string)) throw new ConfigError(`${path}: 'la_code' must be the DfE three-digit LA code, not '${String(config['la_code'])}'`);
  const comparator = config['benchmark_la_code'];
  if (comparator !== undefined && !(typeof comparator === 'string' && /^\d{3}$/.test(comparator))) {
    throw new ConfigError(`${path}: 'benchmark_la_code' must be a DfE three-digit LA code`);
  }
  return {
    la_code: config['la_code'] as string,
    la_name: config['la_name'] as string,
    region: typeof config['region'] === 'string' ? config['region'] : undefined,
    benchmark_la_code: comparator as string | undefined,
  };
}
