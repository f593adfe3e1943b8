import {
  DuckDBTypeId,
  type DuckDBConnection,
  type DuckDBDateValue,
  type DuckDBTimestampMillisecondsValue,
  type DuckDBTimestampSecondsValue,
  type DuckDBTimestampValue,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import {
  Bool,
  DateDay,
  Dictionary,
  Field,
  Float32,
  Float64,
  Int16,
  Int32,
  Int8,
  Null,
  Schema,
  Table,
  TimestampMillisecond,
  Uint16,
  Uint32,
  Uint8,
  Utf8,
  tableToIPC,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';

/*
 * A query's result as an Arrow IPC stream, built with apache-arrow's own builders (vectorFromArray)
 * from DuckDB's materialised columns (getColumns). DuckDB's arrow extension cannot be installed
 * offline, so the values cross into JavaScript either way. A hand-written encoder copying DuckDB's
 * vectors into typed arrays was about 2× faster on a 100,000-row case list, which is below the gain
 * that would pay for 500 lines: the longest case list of a million-child LA has about 12,000 rows,
 * where it saves some 15 ms (docs/BENCHMARKS.md, "Arrow: hand-written or the library"). What this
 * module chooses is only each column's Arrow type:
 *
 *   TINYINT, SMALLINT, INTEGER      → Int8, Int16, Int32 (UTINYINT… UINTEGER → Uint8… Uint32)
 *   FLOAT, DOUBLE                   → Float32, Float64
 *   BOOLEAN                         → Bool
 *   VARCHAR                         → Dictionary<Utf8, Int32> when its first 4,096 values repeat (at
 *                                     most one distinct value per two), else Utf8
 *   ENUM                            → Dictionary<Utf8, Int8 | Int16 | Int32>
 *   DATE                            → DateDay (days since 1970-01-01)
 *   TIMESTAMP, TIMESTAMP_MS, _S     → TimestampMillisecond, no time zone (microseconds dropped,
 *                                     rounding down, as a JS Date holds them)
 *   NULL literal                    → Null
 *
 * Anything else is refused with the cast to write in SQL, BIGINT above all: a count(*) must become
 * INTEGER before it leaves SQL, so no payload holds a number JavaScript cannot hold exactly.
 */

/** The IPC stream format's media type, as Mosaic's data server and apache-arrow's readers expect. */
export const arrowStreamType = 'application/vnd.apache.arrow.stream';

export type SqlParams = Record<string, DuckDBValue> | DuckDBValue[];

/** A column whose type cannot go out as Arrow (nor as JSON through sendTable); a programming error. */
export class ArrowTypeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArrowTypeError';
  }
}

export interface ArrowIpc {
  /** An Arrow IPC stream: schema, dictionaries, one record batch, end-of-stream marker. */
  ipc: Uint8Array;
  rows: number;
}

/** Throws ArrowTypeError unless every column has a type that goes out as Arrow. */
export function assertEncodable(names: readonly string[], types: readonly DuckDBType[]): void {
  types.forEach((type, j) => {
    if (!carried.has(type.typeId)) {
      throw new ArrowTypeError(`column "${names[j] ?? `#${j}`}" is ${type.toString()}: ${castAdvice(type.typeId)}`);
    }
  });
}

/**
 * Runs a query and returns its rows as one Arrow IPC stream. A column type Arrow does not carry here
 * (BIGINT above all) throws ArrowTypeError before any value is converted. A result without rows still
 * carries its schema. `metadata` goes into the schema, e.g. what the JSON form carries beside its rows.
 */
export async function queryToArrow(
  connection: DuckDBConnection,
  sql: string,
  params?: SqlParams,
  metadata?: ReadonlyMap<string, string>,
): Promise<ArrowIpc> {
  const reader =
    params === undefined ? await connection.runAndReadAll(sql) : await connection.runAndReadAll(sql, params);
  const names = reader.deduplicatedColumnNames();
  const types = reader.columnTypes();
  assertEncodable(names, types);
  const columns = reader.getColumns();
  const vectors = types.map((type, j) => columnVector(type, columns[j] ?? []));
  const schema = new Schema(
    names.map((name, j) => new Field(name, vectors[j]!.type, true)),
    metadata ? new Map(metadata) : undefined,
  );
  const table = new Table(schema, Object.fromEntries(names.map((name, j) => [name, vectors[j]!])));
  return { ipc: tableToIPC(table, 'stream'), rows: reader.currentRowCount };
}

/** One column's values as an Arrow vector of the type the table above gives its DuckDB type. */
function columnVector(type: DuckDBType, values: readonly DuckDBValue[]): Vector {
  const as = (arrowType: DataType, convert?: (value: DuckDBValue) => unknown) =>
    vectorFromArray(convert ? values.map((v) => (v === null ? null : convert(v))) : values, arrowType);
  switch (type.typeId) {
    case DuckDBTypeId.TINYINT:
      return as(new Int8());
    case DuckDBTypeId.SMALLINT:
      return as(new Int16());
    case DuckDBTypeId.INTEGER:
      return as(new Int32());
    case DuckDBTypeId.UTINYINT:
      return as(new Uint8());
    case DuckDBTypeId.USMALLINT:
      return as(new Uint16());
    case DuckDBTypeId.UINTEGER:
      return as(new Uint32());
    case DuckDBTypeId.FLOAT:
      return as(new Float32());
    case DuckDBTypeId.DOUBLE:
      return as(new Float64());
    case DuckDBTypeId.BOOLEAN:
      return as(new Bool());
    // The builders take dates and timestamps as epoch milliseconds.
    case DuckDBTypeId.DATE:
      return as(new DateDay(), (v) => (v as DuckDBDateValue).days * 86_400_000);
    case DuckDBTypeId.TIMESTAMP:
      return as(new TimestampMillisecond(), (v) => Number(floorDiv((v as DuckDBTimestampValue).micros, 1000n)));
    case DuckDBTypeId.TIMESTAMP_MS:
      return as(new TimestampMillisecond(), (v) => Number((v as DuckDBTimestampMillisecondsValue).millis));
    case DuckDBTypeId.TIMESTAMP_S:
      return as(new TimestampMillisecond(), (v) => Number((v as DuckDBTimestampSecondsValue).seconds) * 1000);
    case DuckDBTypeId.VARCHAR:
      return as(repetitive(values) ? new Dictionary(new Utf8(), new Int32()) : new Utf8());
    case DuckDBTypeId.ENUM: {
      const members = (type as { values: readonly string[] }).values.length;
      return as(
        new Dictionary(new Utf8(), members <= 0x7f ? new Int8() : members <= 0x7fff ? new Int16() : new Int32()),
      );
    }
    case DuckDBTypeId.SQLNULL:
      return as(new Null());
    default:
      throw new ArrowTypeError(`column type ${type.toString()} has no Arrow type here`);
  }
}

const carried = new Set([
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.FLOAT,
  DuckDBTypeId.DOUBLE,
  DuckDBTypeId.BOOLEAN,
  DuckDBTypeId.DATE,
  DuckDBTypeId.TIMESTAMP,
  DuckDBTypeId.TIMESTAMP_MS,
  DuckDBTypeId.TIMESTAMP_S,
  DuckDBTypeId.VARCHAR,
  DuckDBTypeId.ENUM,
  DuckDBTypeId.SQLNULL,
]);

function castAdvice(typeId: DuckDBTypeId): string {
  switch (typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return (
        'cast it in SQL before it leaves (count(*)::INTEGER, or ::DOUBLE for a sum that may pass 2^31); ' +
        'counts go out as INTEGER'
      );
    case DuckDBTypeId.DECIMAL:
      return 'cast it to DOUBLE in SQL';
    case DuckDBTypeId.TIMESTAMP_TZ:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIME:
    case DuckDBTypeId.TIME_TZ:
    case DuckDBTypeId.TIME_NS:
    case DuckDBTypeId.INTERVAL:
      return 'cast it to TIMESTAMP, DATE, a number or VARCHAR in SQL';
    default:
      return 'tables go out as flat columns only, so cast it to VARCHAR (or unnest it) in SQL';
  }
}

/** Towards minus infinity, so a moment before 1970 keeps its millisecond rather than the next one. */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

const dictionarySample = 4096;

/**
 * At most one distinct value per two rows among the first few thousand: a column of ids says no
 * within a sample, so it never pays for a dictionary the size of the column.
 */
function repetitive(values: readonly DuckDBValue[]): boolean {
  const seen = new Set<DuckDBValue>();
  let present = 0;
  for (let k = 0, n = Math.min(values.length, dictionarySample); k < n; k++) {
    const value = values[k];
    if (value === null || value === undefined) continue;
    present += 1;
    seen.add(value);
  }
  return present > 0 && seen.size * 2 <= present;
}
