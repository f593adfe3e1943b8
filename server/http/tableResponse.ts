import type { DuckDBConnection } from '@duckdb/node-api';
import type { Request, Response } from 'express';
import { arrowStreamType, assertEncodable, queryToArrow, type SqlParams } from '../arrow/table.ts';

/** A parameterised statement whose result is a table for the client. */
export interface TableQuery {
  sql: string;
  params?: SqlParams;
}

export interface SendTableOptions {
  /**
   * What goes out beside the rows: top-level fields of the JSON object, and schema metadata in
   * Arrow (each value JSON-encoded), so both formats carry the same.
   */
  meta?: Record<string, unknown>;
}

/**
 * Whether the client asked for Arrow. JSON is listed first so that a catch-all Accept, a missing one
 * and anything unrecognised get JSON; a client that names Arrow gets Arrow unless it ranks JSON higher.
 */
export function wantsArrow(req: Request): boolean {
  return req.accepts(['application/json', arrowStreamType]) === arrowStreamType;
}

/**
 * Runs one query and sends its rows in the format the client asked for: an Arrow IPC stream when
 * Accept names `application/vnd.apache.arrow.stream`, else JSON `{ ...meta, rows }` with dates as
 * YYYY-MM-DD. Sets res.locals.rowsReturned for the access log either way.
 *
 * The Arrow body is built in full before the first byte goes: the access log records the row count
 * when the response starts, and a client is better served by Content-Length than by a stream that
 * may break off half way. The columns both formats may carry are the same (server/arrow/table.ts):
 * a BIGINT fails as JSON too, so a route cannot work in one format and not the other.
 */
export async function sendTable(
  req: Request,
  res: Response,
  connection: DuckDBConnection,
  query: TableQuery,
  options: SendTableOptions = {},
): Promise<void> {
  res.vary('Accept');
  const meta = options.meta ?? {};
  if (wantsArrow(req)) {
    const metadata = new Map(Object.entries(meta).map(([key, value]) => [key, JSON.stringify(value)]));
    const { ipc, rows } = await queryToArrow(connection, query.sql, query.params, metadata);
    res.locals.rowsReturned = rows;
    res.setHeader('Content-Type', arrowStreamType);
    res.send(Buffer.from(ipc.buffer, ipc.byteOffset, ipc.byteLength));
    return;
  }
  const reader =
    query.params === undefined
      ? await connection.runAndReadAll(query.sql)
      : await connection.runAndReadAll(query.sql, query.params);
  assertEncodable(reader.deduplicatedColumnNames(), reader.columnTypes());
  const rows = reader.getRowObjectsJson();
  res.locals.rowsReturned = rows.length;
  res.json({ ...meta, rows });
}
