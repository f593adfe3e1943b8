import type { DuckDBConnection, DuckDBDataChunk, DuckDBValue } from '@duckdb/node-api';
import { RecordBatch, RecordBatchStreamWriter, Schema, Struct, makeData } from 'apache-arrow';
import { columnEncoder, dictionaryIds } from './columns.ts';

export { ArrowTypeError } from './columns.ts';

/** The IPC stream format's media type, as Mosaic's data server and apache-arrow's readers expect. */
export const arrowStreamType = 'application/vnd.apache.arrow.stream';

export type SqlParams = Record<string, DuckDBValue> | DuckDBValue[];

export interface ArrowEncodeOptions {
  /** Rows per record batch (DuckDB hands them over 2,048 at a time); 65,536 unless told. */
  batchRows?: number;
  /** Key-value pairs for the schema, e.g. what the JSON form carries beside its rows. */
  metadata?: ReadonlyMap<string, string>;
}

const defaultBatchRows = 65_536;

/**
 * Runs a query and yields its rows as Arrow record batches, built from DuckDB's result chunks as
 * they arrive: each column is copied straight from the chunk's vectors into typed arrays, with no
 * row objects on the way (about ten times faster than via getColumns(); docs/BENCHMARKS.md).
 *
 * A column type the encoder does not carry (BIGINT above all) throws ArrowTypeError before any row
 * is read. A result without rows still yields one empty batch, so the schema always goes out.
 */
export async function* queryRecordBatches(
  connection: DuckDBConnection,
  sql: string,
  params?: SqlParams,
  options: ArrowEncodeOptions = {},
): AsyncGenerator<RecordBatch> {
  const batchRows = options.batchRows ?? defaultBatchRows;
  if (!Number.isInteger(batchRows) || batchRows < 1) throw new RangeError(`batchRows must be a positive integer, not ${batchRows}`);
  const result = params === undefined ? await connection.stream(sql) : await connection.stream(sql, params);
  const names = result.deduplicatedColumnNames();
  const types = result.columnTypes();
  const ids = dictionaryIds();
  const encoders = names.map((name, j) => columnEncoder(name, types[j]!, ids));

  let schema: Schema | undefined;
  const toBatch = (chunks: readonly DuckDBDataChunk[], length: number): RecordBatch => {
    const children = encoders.map((encoder, j) => encoder.encode(chunks.map((chunk) => chunk.getColumnVector(j)), length));
    // After the first batch, because a VARCHAR column's type is chosen from its first values.
    schema ??= new Schema(encoders.map((encoder) => encoder.field()), options.metadata ? new Map(options.metadata) : undefined);
    return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length, nullCount: 0, children }));
  };

  let pending: DuckDBDataChunk[] = [];
  let pendingRows = 0;
  let yielded = false;
  for (;;) {
    const chunk = await result.fetchChunk();
    const done = !chunk || chunk.rowCount === 0;
    if (chunk && !done) {
      pending.push(chunk);
      pendingRows += chunk.rowCount;
    }
    if (pendingRows >= batchRows || (done && (pendingRows > 0 || !yielded))) {
      yield toBatch(pending, pendingRows);
      yielded = true;
      pending = [];
      pendingRows = 0;
    }
    if (done) return;
  }
}

export interface ArrowIpc {
  /** An Arrow IPC stream: schema, dictionaries, record batches, end-of-stream marker. */
  ipc: Uint8Array;
  rows: number;
}

/** A query's result as one Arrow IPC stream, and its row count. */
export async function queryToArrow(
  connection: DuckDBConnection,
  sql: string,
  params?: SqlParams,
  options: ArrowEncodeOptions = {},
): Promise<ArrowIpc> {
  // Each batch goes to the writer as soon as it is built: the writer keeps views of its buffers
  // until the end, so nothing is held twice before the final join.
  const writer = new RecordBatchStreamWriter();
  let rows = 0;
  for await (const batch of queryRecordBatches(connection, sql, params, options)) {
    writer.write(batch);
    rows += batch.numRows;
  }
  writer.finish();
  return { ipc: writer.toUint8Array(true), rows };
}

/** A query's result as one Arrow IPC stream (`application/vnd.apache.arrow.stream`). */
export async function queryToArrowIpc(
  connection: DuckDBConnection,
  sql: string,
  params?: SqlParams,
  options: ArrowEncodeOptions = {},
): Promise<Uint8Array> {
  return (await queryToArrow(connection, sql, params, options)).ipc;
}
