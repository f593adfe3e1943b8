import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { tableFromIPC } from 'apache-arrow';
import { cpCategories, ethnicityCodes } from '../etl/canonical/model.ts';
import { queryToArrow } from '../server/arrow/table.ts';
import { Warehouse } from '../sql/warehouse.ts';

export interface WireFormatBench {
  bytes: number;
  /** The same payload gzipped (level 6), for a proxy that compresses. */
  gzipBytes: number;
  /** Server side: query to the bytes Express would send. */
  encodeMs: number;
  /**
   * The same in this process's CPU time (DuckDB's threads included): less moved than wall time by
   * other work on a shared machine, so ratios of it are the steadier comparison.
   */
  encodeCpuMs: number;
  /** Client side: bytes to a table (tableFromIPC is lazy; JSON.parse builds every object). */
  decodeMs: number;
  /** Client side: bytes to every value read out as a JS array per column. */
  decodeAndReadMs: number;
}

export interface ArrowBench {
  rows: number;
  /** Each time is the median of this many runs. */
  runs: number;
  columns: number;
  /**
   * server/arrow/table.ts: getColumns() into apache-arrow's vectorFromArray builders, tableToIPC.
   * Categories as VARCHAR, as the case lists send them. (The hand-written encoder it replaced was
   * measured against it at commit f3ffe99: docs/BENCHMARKS.md.)
   */
  arrow: WireFormatBench;
  /** The same, categories cast to ENUM in SQL. */
  arrowEnum: WireFormatBench;
  json: WireFormatBench;
}

const caseListRows = 100_000;

const categories = {
  age_band: ['Under 1', '1-4', '5-9', '10-15', '16+'],
  sex: ['F', 'M', 'U'],
  ethnicity: ethnicityCodes,
  category: cpCategories,
};

const sqlList = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');
const pick = (values: readonly string[], h: string) => `[${sqlList(values)}][1 + (${h} % ${values.length})::INTEGER]`;

/**
 * A case-list-shaped table: the drill-down a board member's "which children?" opens. Categories
 * are VARCHAR, as a plain SELECT from the warehouse gives them: the encoder has to find the
 * repetition itself. Values come from a hash of the row number, so every run builds the same table.
 */
const createCaseList = `
  CREATE OR REPLACE TABLE bench_case_list AS
  WITH r AS (SELECT i::INTEGER AS i, hash(i) AS h FROM range(${caseListRows}) t(i))
  SELECT
    i AS child_key,
    'LA' || lpad(i::VARCHAR, 7, '0') AS la_child_id,
    ${pick(categories.age_band, 'h')} AS age_band,
    ${pick(categories.sex, 'h // 5')} AS sex,
    ${pick(categories.ethnicity, 'h // 25')} AS ethnicity,
    DATE '2019-04-01' + (h // 450 % 2500)::INTEGER AS start_date,
    CASE WHEN h // 1_125_000 % 3 = 0 THEN NULL
         ELSE DATE '2019-04-01' + (h // 450 % 2500)::INTEGER + (h // 7 % 700)::INTEGER END AS end_date,
    ${pick(categories.category, 'h // 11')} AS category,
    h // 13 % 5 = 0 AS repeat_plan,
    h // 17 % 9 = 0 AS disabled,
    h // 19 % 40 = 0 AS uasc,
    (h // 7 % 700)::INTEGER AS days
  FROM r`;

const selectVarchar = 'SELECT * FROM bench_case_list ORDER BY child_key';
/** The same rows with categories shaped in SQL (ENUM columns), so Arrow can send them as dictionaries. */
const selectEnum = `SELECT * REPLACE (${Object.entries(categories)
  .map(([column, values]) => `${column}::ENUM(${sqlList(values)}) AS ${column}`)
  .join(', ')}) FROM bench_case_list ORDER BY child_key`;

function millis(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (times: number[]): number => [...times].sort((x, y) => x - y)[Math.floor(times.length / 2)]!;

/** The median time of `runs` runs (runs should be odd), and the last run's value. */
async function medianOf<T>(runs: number, work: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const times: number[] = [];
  let value: T | undefined;
  for (let run = 0; run < runs; run++) {
    const started = process.hrtime.bigint();
    value = await work();
    times.push(millis(started));
  }
  return { ms: median(times), value: value as T };
}

/**
 * Each piece of work once per round, `runs` rounds, and each one's median time. Taking turns keeps
 * a burst of other work on a shared machine from landing on one contender only.
 */
async function interleavedMedians<K extends string, T>(runs: number, works: Record<K, () => Promise<T>>) {
  const keys = Object.keys(works) as K[];
  const times = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  const cpuTimes = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  const values = {} as Record<K, T>;
  for (let run = 0; run < runs; run++) {
    for (const key of keys) {
      const started = process.hrtime.bigint();
      const cpu = process.cpuUsage();
      values[key] = await works[key]();
      const used = process.cpuUsage(cpu);
      times[key].push(millis(started));
      cpuTimes[key].push((used.user + used.system) / 1000);
    }
  }
  type Measured = { ms: number; cpuMs: number; value: T };
  return Object.fromEntries(
    keys.map((k) => [k, { ms: median(times[k]), cpuMs: median(cpuTimes[k]), value: values[k] }]),
  ) as Record<K, Measured>;
}

/** Client side, for one payload: opening the table, and reading every value out of it. */
async function arrowDecode(
  runs: number,
  ipc: Uint8Array,
  encoded: { ms: number; cpuMs: number },
): Promise<WireFormatBench> {
  const decode = await medianOf(runs, () => tableFromIPC(ipc));
  const read = await medianOf(runs, () => {
    const table = tableFromIPC(ipc);
    return table.schema.fields.map((f) => table.getChild(f.name)!.toArray() as ArrayLike<unknown>);
  });
  const { ms: encodeMs, cpuMs: encodeCpuMs } = encoded;
  return {
    bytes: ipc.byteLength,
    gzipBytes: gzipSync(ipc).byteLength,
    encodeMs,
    encodeCpuMs,
    decodeMs: decode.ms,
    decodeAndReadMs: read.ms,
  };
}

/** Arrow IPC against JSON for one 100,000-row table: bytes on the wire, encode and decode time. */
export async function benchArrow(runs = 7): Promise<ArrowBench> {
  const dir = mkdtempSync(join(tmpdir(), 'lscb-bench-arrow-'));
  const warehouse = await Warehouse.open(join(dir, 'arrow.duckdb'));
  try {
    await warehouse.withConnection((c) => c.run(createCaseList));
    const arrowOf = (sql: string) => warehouse.withConnection(async (c) => (await queryToArrow(c, sql)).ipc);
    // What res.json does: row objects through the JSON converter, stringify, UTF-8 bytes.
    const json = () =>
      warehouse.withConnection(async (c) => {
        const rows = (await c.runAndReadAll(selectVarchar)).getRowObjectsJson();
        return new Uint8Array(Buffer.from(JSON.stringify({ rows })));
      });
    const encoded = await interleavedMedians(runs, {
      arrow: () => arrowOf(selectVarchar),
      arrowEnum: () => arrowOf(selectEnum),
      json,
    });
    const { arrow, arrowEnum } = encoded;
    const jsonBytes = encoded.json.value;
    const jsonDecode = await medianOf(
      runs,
      () => JSON.parse(new TextDecoder().decode(jsonBytes)) as { rows: unknown[] },
    );
    const rows = tableFromIPC(arrow.value).numRows;
    if (rows !== jsonDecode.value.rows.length) throw new Error('Arrow and JSON disagree on the row count');

    return {
      rows,
      runs,
      columns: tableFromIPC(arrow.value).numCols,
      arrow: await arrowDecode(runs, arrow.value, arrow),
      arrowEnum: await arrowDecode(runs, arrowEnum.value, arrowEnum),
      json: {
        bytes: jsonBytes.byteLength,
        gzipBytes: gzipSync(jsonBytes).byteLength,
        encodeMs: encoded.json.ms,
        encodeCpuMs: encoded.json.cpuMs,
        decodeMs: jsonDecode.ms,
        // JSON.parse has already built every value.
        decodeAndReadMs: jsonDecode.ms,
      },
    };
  } finally {
    warehouse.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printArrow(b: ArrowBench): void {
  const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(11) : c.padStart(12))).join(' ');
  const rowCount = Intl.NumberFormat('en-GB').format(b.rows);
  console.log(`\nArrow IPC vs JSON, ${rowCount}-row case list (${b.columns} columns), median of ${b.runs}:`);
  console.log(line(['', 'payload', 'gzipped', 'encode', 'encode CPU', 'decode', 'decode+read']));
  const rows = [
    ['Arrow', b.arrow],
    ['Arrow ENUM', b.arrowEnum],
    ['JSON', b.json],
  ] as const;
  for (const [label, f] of rows) {
    console.log(
      line([
        label,
        mb(f.bytes),
        mb(f.gzipBytes),
        ms(f.encodeMs),
        ms(f.encodeCpuMs),
        ms(f.decodeMs),
        ms(f.decodeAndReadMs),
      ]),
    );
  }
  const ratio = (a: number, c: number) => `${(a / c).toFixed(2)}×`;
  console.log(
    `Arrow (VARCHAR categories) against JSON: ${ratio(b.json.bytes, b.arrow.bytes)} smaller, ` +
      `${ratio(b.json.encodeMs, b.arrow.encodeMs)} faster to encode (CPU ${ratio(b.json.encodeCpuMs, b.arrow.encodeCpuMs)}), ` +
      `${ratio(b.json.decodeMs, b.arrow.decodeAndReadMs)} faster to decode and read every value. ` +
      '"ENUM" casts the four categories to ENUM in SQL first.',
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printArrow(await benchArrow());
}
