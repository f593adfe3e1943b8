import type { Server } from 'node:http';
import { DataType, tableFromIPC, type Table } from 'apache-arrow';
import express, { type NextFunction, type Request, type Response } from 'express';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { api } from '../../client/api.ts';
import { rowsFromArrow } from '../../client/arrowRows.ts';
import { ArrowTypeError, arrowStreamType, queryToArrow } from '../../server/arrow/table.ts';
import { sendTable } from '../../server/http/tableResponse.ts';
import { listen } from '../../server/listen.ts';
import { Warehouse } from '../../sql/warehouse.ts';

// 5,000 rows: three DuckDB chunks (2,048 rows each at most). Every column has nulls at its own
// stride; `band` gains new values after row 3,000, past the sample that makes it a dictionary;
// `name` is unique, non-ASCII and sometimes empty; dates and times reach back before 1970.
const fixtureRows = 5_000;
const createFixture = `
  CREATE TYPE arrow_category AS ENUM ('NEG', 'PHY', 'SAB', 'EMO', 'MUL');
  CREATE TABLE arrow_fixture AS
  SELECT
    i::INTEGER AS id,
    CASE WHEN i % 13 = 0 THEN NULL ELSE (i * 7 % 1000)::INTEGER - 500 END AS n_int,
    CASE WHEN i % 11 = 0 THEN NULL ELSE i / 8.0 - 100 END AS ratio,
    CASE WHEN i % 7 = 0 THEN NULL ELSE i % 3 = 0 END AS flag,
    CASE WHEN i % 17 = 0 THEN NULL
         ELSE ['Under 1', '1-4', '5-9'][1 + i % 3] || CASE WHEN i >= 3000 THEN ' (late)' ELSE '' END END AS band,
    CASE WHEN i % 19 = 0 THEN NULL WHEN i % 5 = 0 THEN '' ELSE 'Zoë ' || i || ' 東京 🚀' END AS name,
    CASE WHEN i % 23 = 0 THEN NULL ELSE DATE '1965-03-01' + (i * 13)::INTEGER END AS day,
    CASE WHEN i % 29 = 0 THEN NULL ELSE TIMESTAMP '1969-12-31 23:00:00' + to_milliseconds(i * 1234567) END AS at,
    CASE WHEN i % 31 = 0 THEN NULL ELSE (['NEG', 'PHY', 'SAB', 'EMO', 'MUL'][1 + i % 5])::arrow_category END AS category,
    (i % 100 - 50)::TINYINT AS tiny,
    (i - 2500)::SMALLINT AS small,
    CASE WHEN i % 37 = 0 THEN NULL ELSE (i / 4)::FLOAT END AS quarter,
    i::UINTEGER AS unsigned
  FROM range(${fixtureRows}) t(i)`;
const selectFixture = 'SELECT * FROM arrow_fixture ORDER BY id';

const expectedTypes = {
  id: 'Int32',
  n_int: 'Int32',
  ratio: 'Float64',
  flag: 'Bool',
  band: 'Dictionary<Int32, Utf8>',
  name: 'Utf8',
  day: 'Date32<DAY>',
  at: 'Timestamp<MILLISECOND>',
  category: 'Dictionary<Int8, Utf8>',
  tiny: 'Int8',
  small: 'Int16',
  quarter: 'Float32',
  unsigned: 'Uint32',
};

type JsonRow = Record<string, unknown>;

let warehouse: Warehouse;
beforeAll(async () => {
  warehouse = await Warehouse.open(':memory:');
  await warehouse.withConnection((c) => c.run(createFixture));
});
afterAll(() => warehouse.close());

const jsonRows = (sql: string) => warehouse.query<JsonRow>(sql);

/** A JSON-route value for the same cell: dates as YYYY-MM-DD, timestamps as milliseconds. */
function jsonValueOf(type: DataType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (DataType.isDate(type)) return new Date(value as number).toISOString().slice(0, 10);
  if (DataType.isTimestamp(type)) return value as number;
  return value;
}

/** The JSON route's timestamp strings ('1969-12-31 23:00:01.234') as milliseconds. */
function timestampMillis(value: unknown): unknown {
  return typeof value === 'string' ? Date.parse(`${value.replace(' ', 'T')}Z`) : value;
}

/** Every cell of the Arrow table equals the JSON rows', column by column, nulls included. */
function expectSameValues(table: Table, rows: JsonRow[]): void {
  expect(table.numRows).toBe(rows.length);
  if (rows[0]) expect(table.schema.fields.map((f) => f.name)).toEqual(Object.keys(rows[0]));
  for (const field of table.schema.fields) {
    const column = table.getChild(field.name)!;
    const fromArrow = Array.from({ length: table.numRows }, (_, i) => jsonValueOf(field.type, column.get(i)));
    const fromJson = rows.map((row) =>
      DataType.isTimestamp(field.type) ? timestampMillis(row[field.name]) : row[field.name],
    );
    expect(fromArrow, field.name).toEqual(fromJson);
    expect(column.nullCount, `${field.name} nulls`).toBe(fromJson.filter((v) => v === null).length);
  }
}

const arrowIpc = async (sql: string) => (await warehouse.withConnection((c) => queryToArrow(c, sql))).ipc;

describe('queryToArrow', () => {
  it('carries every supported type and every null as the JSON route does', async () => {
    const table = tableFromIPC(await arrowIpc(selectFixture));
    expect(Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]))).toEqual(expectedTypes);
    expectSameValues(table, await jsonRows(selectFixture));
  });

  it("gives the client the JSON form's rows, through the case-list page's decoder", async () => {
    expect(rowsFromArrow(await arrowIpc(selectFixture))).toEqual(
      (await jsonRows(selectFixture)).map((row) => ({ ...row, at: timestampMillis(row['at']) })),
    );
  });

  it('counts its rows, and binds parameters', async () => {
    const sql = 'SELECT id, band FROM arrow_fixture WHERE id < $below AND band = $band ORDER BY id';
    const params = { below: 100, band: '1-4' };
    const { ipc, rows } = await warehouse.withConnection((c) => queryToArrow(c, sql, params));
    const expected = await warehouse.query<JsonRow>(sql, params);
    expect(rows).toBe(expected.length);
    expect(rows).toBeGreaterThan(20);
    expectSameValues(tableFromIPC(ipc), expected);
  });

  it('sends the schema for a result without rows', async () => {
    const table = tableFromIPC(await arrowIpc(selectFixture.replace('ORDER BY', 'WHERE false ORDER BY')));
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toEqual(Object.keys(expectedTypes));
    // Nothing to judge repetition by, so the plain form.
    expect(String(table.schema.fields.find((f) => f.name === 'band')!.type)).toBe('Utf8');
  });

  it('keeps a moment before 1970 in its own millisecond, as a JS Date would', async () => {
    const sql = `SELECT TIMESTAMP '1969-12-31 23:59:59.9995' AS before_epoch, TIMESTAMP '2025-03-31 12:00:00.123456' AS after_epoch`;
    const row = tableFromIPC(await arrowIpc(sql))
      .get(0)!
      .toJSON();
    expect(row).toEqual({ before_epoch: -1, after_epoch: Date.UTC(2025, 2, 31, 12, 0, 0, 123) });
  });

  it.each([
    ['SELECT count(*) AS n FROM arrow_fixture', /column "n" is BIGINT: cast it in SQL.*count\(\*\)::INTEGER/],
    ['SELECT sum(id) AS total FROM arrow_fixture', /column "total" is HUGEINT: cast it in SQL/],
    ['SELECT 1.5::DECIMAL(5, 2) AS d', /column "d" is DECIMAL\(5,2\): cast it to DOUBLE/],
    ['SELECT [1, 2] AS l', /column "l" is INTEGER\[\].*cast it to VARCHAR/],
  ])('refuses %s with the cast to write', async (sql, message) => {
    const attempt = arrowIpc(sql);
    await expect(attempt).rejects.toThrow(ArrowTypeError);
    await expect(attempt).rejects.toThrow(message);
  });
});

describe('sendTable over HTTP', () => {
  let server: Server;
  let base: string;
  const served: { path: string; rowsReturned: unknown }[] = [];

  beforeAll(async () => {
    const app = express();
    app.use((req, res, next) => {
      res.on('finish', () => served.push({ path: req.originalUrl, rowsReturned: res.locals.rowsReturned }));
      next();
    });
    app.get('/cases', async (req, res) => {
      const below = Number(req.query['below'] ?? fixtureRows);
      await warehouse.withConnection((c) =>
        sendTable(
          req,
          res,
          c,
          { sql: 'SELECT * FROM arrow_fixture WHERE id < $below ORDER BY id', params: { below } },
          { meta: { source: 'fixture' } },
        ),
      );
    });
    // The case-list route's shape, for the client's own api.cases.
    app.get('/api/v1/cases/:figure', async (req, res) => {
      res.on('finish', () => served.push({ path: 'content-type', rowsReturned: res.getHeader('content-type') }));
      await warehouse.withConnection((c) =>
        sendTable(req, res, c, { sql: selectFixture }, { meta: { figure: req.params['figure'] } }),
      );
    });
    app.get('/count', async (req, res) => {
      await warehouse.withConnection((c) =>
        sendTable(req, res, c, { sql: 'SELECT band, count(*) AS n FROM arrow_fixture GROUP BY band' }),
      );
    });
    app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
      res.status(500).json({ error: err instanceof Error ? err.message : String(err) });
    });
    ({ server, url: base } = await listen(app, '127.0.0.1', 0));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const get = (path: string, accept?: string) =>
    fetch(new URL(path, base), accept === undefined ? {} : { headers: { accept } });

  it('answers the same endpoint as Arrow or JSON by Accept, with the same values and row count', async () => {
    const arrowResponse = await get('/cases', arrowStreamType);
    expect(arrowResponse.status).toBe(200);
    expect(arrowResponse.headers.get('content-type')).toBe(arrowStreamType);
    expect(arrowResponse.headers.get('vary')).toMatch(/Accept/);
    const table = tableFromIPC(new Uint8Array(await arrowResponse.arrayBuffer()));

    const jsonResponse = await get('/cases', 'application/json');
    expect(jsonResponse.headers.get('content-type')).toMatch(/^application\/json/);
    expect(jsonResponse.headers.get('vary')).toMatch(/Accept/);
    const body = (await jsonResponse.json()) as { source: string; rows: JsonRow[] };

    expect(body.rows).toHaveLength(fixtureRows);
    expectSameValues(table, body.rows);
    expect(body.source).toBe('fixture');
    expect(table.schema.metadata.get('source')).toBe('"fixture"');
    expect(served.filter((s) => s.path === '/cases').map((s) => s.rowsReturned)).toEqual([fixtureRows, fixtureRows]);
  });

  it('binds the route’s parameters in both formats', async () => {
    const table = tableFromIPC(new Uint8Array(await (await get('/cases?below=10', arrowStreamType)).arrayBuffer()));
    const body = (await (await get('/cases?below=10', 'application/json')).json()) as { rows: JsonRow[] };
    expect(table.numRows).toBe(10);
    expectSameValues(table, body.rows);
    expect(served.filter((s) => s.path === '/cases?below=10').map((s) => s.rowsReturned)).toEqual([10, 10]);
  });

  it.each([
    [undefined, 'json'],
    ['*/*', 'json'],
    ['text/html', 'json'],
    ['application/vnd.apache.arrow.stream;q=0.9, application/json;q=0.5', 'arrow'],
    ['application/json, application/vnd.apache.arrow.stream;q=0.1', 'json'],
    ['application/vnd.apache.arrow.stream, */*;q=0.8', 'arrow'],
  ])('with Accept %s sends %s', async (accept, format) => {
    const response = await get('/cases?below=3', accept);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(format === 'arrow' ? arrowStreamType : /^application\/json/);
  });

  it('the case-list page asks for Arrow and reads the rows the JSON form carries', async () => {
    // The page's fetches are relative to its origin: here, this test's server.
    const realFetch = globalThis.fetch;
    vi.stubGlobal('fetch', (path: string, init?: RequestInit) => realFetch(new URL(path, base), init));
    try {
      const { rows } = await api.cases('prevalence.cp_open', { from: '2025-01-01', to: '2025-03-31' });
      const expected = (await jsonRows(selectFixture)).map((row) => ({ ...row, at: timestampMillis(row['at']) }));
      expect(rows).toEqual(expected);
    } finally {
      vi.unstubAllGlobals();
    }
    expect(served.filter((s) => s.path === 'content-type').map((s) => s.rowsReturned)).toEqual([arrowStreamType]);
  });

  it('refuses a BIGINT column in both formats, so a route cannot work in only one', async () => {
    for (const accept of [arrowStreamType, 'application/json']) {
      const response = await get('/count', accept);
      expect(response.status).toBe(500);
      expect(((await response.json()) as { error: string }).error).toMatch(/column "n" is BIGINT/);
    }
  });
});
