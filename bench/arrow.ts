import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { tableFromIPC } from 'apache-arrow';
import { queryToArrow } from '../server/arrow/encode.ts';
import { Warehouse } from '../sql/warehouse.ts';

export interface WireFormatBench {
  bytes: number;
  /** The same payload gzipped (level 6), for a proxy that compresses. */
  gzipBytes: number;
  /** Server side: query to the bytes Express would send. */
  encodeMs: number;
  /** Client side: bytes to a table (tableFromIPC is lazy; JSON.parse builds every object). */
  decodeMs: number;
  /** Client side: bytes to every value read out as a JS array per column. */
  decodeAndReadMs: number;
}

export interface ArrowBench {
  rows: number;
  /** Each time is the best of this many runs. */
  runs: number;
  columns: number;
  /** Categories as VARCHAR: the encoder dictionary-encodes them itself. */
  arrow: WireFormatBench;
  /** Categories cast to ENUM in SQL. */
  arrowEnum: WireFormatBench;
  json: WireFormatBench;
}

const caseListRows = 100_000;

const categories = {
  age_band: ['Under 1', '1-4', '5-9', '10-15', '16+'],
  sex: ['F', 'M', 'U'],
  ethnicity: ['WBRI', 'WIRI', 'WOTH', 'MWBC', 'MWBA', 'MWAS', 'MOTH', 'AIND', 'APKN', 'ABAN', 'AOTH', 'BCRB', 'BAFR', 'BOTH', 'CHNE', 'OOTH', 'REFU', 'NOBT'],
  category: ['NEG', 'EMO', 'PHY', 'SAB', 'MUL'],
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
/** The same rows with categories shaped in SQL, as tech-anchors §2.4 recommends. */
const selectEnum = `SELECT * REPLACE (${Object.entries(categories)
  .map(([column, values]) => `${column}::ENUM(${sqlList(values)}) AS ${column}`)
  .join(', ')}) FROM bench_case_list ORDER BY child_key`;

function millis(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function bestOf<T>(runs: number, work: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  let best: { ms: number; value: T } | undefined;
  for (let run = 0; run < runs; run++) {
    const started = process.hrtime.bigint();
    const value = await work();
    const ms = millis(started);
    if (!best || ms < best.ms) best = { ms, value };
  }
  return best!;
}

/** Arrow IPC against JSON for one 100,000-row table: bytes on the wire, encode and decode time. */
export async function benchArrow(runs = 3): Promise<ArrowBench> {
  const dir = mkdtempSync(join(tmpdir(), 'lscb-bench-arrow-'));
  const warehouse = await Warehouse.open(join(dir, 'arrow.duckdb'));
  try {
    await warehouse.withConnection((c) => c.run(createCaseList));
    const arrow = async (sql: string): Promise<{ bench: WireFormatBench; ipc: Uint8Array; rows: number }> => {
      const encoded = await bestOf(runs, () => warehouse.withConnection((c) => queryToArrow(c, sql)));
      const { ipc, rows } = encoded.value;
      const decode = await bestOf(runs, () => tableFromIPC(ipc));
      const read = await bestOf(runs, () => {
        const table = tableFromIPC(ipc);
        return table.schema.fields.map((f) => table.getChild(f.name)!.toArray() as ArrayLike<unknown>);
      });
      const bench = { bytes: ipc.byteLength, gzipBytes: gzipSync(ipc).byteLength, encodeMs: encoded.ms, decodeMs: decode.ms, decodeAndReadMs: read.ms };
      return { bench, ipc, rows };
    };

    const varchar = await arrow(selectVarchar);
    const enumerated = await arrow(selectEnum);
    // What res.json does: row objects through the JSON converter, stringify, UTF-8 bytes.
    const jsonOut = await bestOf(runs, () =>
      warehouse.withConnection(async (c) => {
        const rows = (await c.runAndReadAll(selectVarchar)).getRowObjectsJson();
        return Buffer.from(JSON.stringify({ rows }));
      }),
    );
    const json = jsonOut.value;
    const jsonDecode = await bestOf(runs, () => JSON.parse(new TextDecoder().decode(json)) as { rows: unknown[] });
    if (varchar.rows !== jsonDecode.value.rows.length || enumerated.rows !== varchar.rows) {
      throw new Error('Arrow and JSON disagree on the row count');
    }

    return {
      rows: varchar.rows,
      runs,
      columns: tableFromIPC(varchar.ipc).numCols,
      arrow: varchar.bench,
      arrowEnum: enumerated.bench,
      json: {
        bytes: json.byteLength,
        gzipBytes: gzipSync(json).byteLength,
        encodeMs: jsonOut.ms,
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
  console.log(`\nArrow IPC vs JSON, ${Intl.NumberFormat('en-GB').format(b.rows)}-row case list (${b.columns} columns), best of ${b.runs}:`);
  console.log(line(['', 'payload', 'gzipped', 'encode', 'decode', 'decode+read']));
  const rows = [['Arrow', b.arrow], ['Arrow ENUM', b.arrowEnum], ['JSON', b.json]] as const;
  for (const [label, f] of rows) {
    console.log(line([label, mb(f.bytes), mb(f.gzipBytes), ms(f.encodeMs), ms(f.decodeMs), ms(f.decodeAndReadMs)]));
  }
  console.log(
    `Arrow (VARCHAR categories) against JSON: ${(b.json.bytes / b.arrow.bytes).toFixed(1)}× smaller, ` +
      `${(b.json.encodeMs / b.arrow.encodeMs).toFixed(1)}× faster to encode, ` +
      `${(b.json.decodeMs / b.arrow.decodeAndReadMs).toFixed(1)}× faster to decode and read every value. ` +
      '"Arrow ENUM" casts the four categories to ENUM in SQL first.',
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  printArrow(await benchArrow());
}
