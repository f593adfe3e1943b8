import {
  DuckDBTypeId,
  type DuckDBDateValue,
  type DuckDBEnumType,
  type DuckDBTimestampMillisecondsValue,
  type DuckDBTimestampSecondsValue,
  type DuckDBTimestampValue,
  type DuckDBType,
  type DuckDBVector,
} from '@duckdb/node-api';
import {
  Bool,
  DateDay,
  Dictionary,
  Field,
  Float32,
  Float64,
  type Float,
  type Int,
  Int16,
  Int32,
  Int8,
  Null,
  TimestampMillisecond,
  Uint16,
  Uint32,
  Uint8,
  Utf8,
  Vector,
  makeData,
  type Data,
} from 'apache-arrow';

/*
 * DuckDB column types → Arrow, copied value by value from result vectors into typed arrays.
 *
 *   TINYINT, SMALLINT, INTEGER      → Int8, Int16, Int32 (UTINYINT… UINTEGER → Uint8… Uint32)
 *   FLOAT, DOUBLE                   → Float32, Float64
 *   BOOLEAN                         → Bool
 *   VARCHAR                         → Dictionary<Utf8, Int32> when its first 4,096 values repeat (at
 *                                     most one distinct value per two), else Utf8
 *   ENUM                            → Dictionary<Utf8, Int8 | Int16 | Int32>, the enum's members in order
 *   DATE                            → DateDay (days since 1970-01-01)
 *   TIMESTAMP, TIMESTAMP_MS, _S     → TimestampMillisecond, no time zone (microseconds dropped,
 *                                     rounding down, as a JS Date holds them)
 *   NULL literal                    → Null
 *
 * Anything else is refused with the cast to write in SQL, BIGINT above all: a count(*) must become
 * INTEGER before it leaves SQL, so no payload holds a number JavaScript cannot hold exactly.
 */

/** A column whose type cannot go out as Arrow (nor as JSON through sendTable); a programming error. */
export class ArrowTypeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArrowTypeError';
  }
}

export interface ColumnEncoder {
  /** The column's Arrow field; a VARCHAR column's type is settled by the first encode call. */
  field(): Field;
  /** One batch of this column: its vector from each chunk, `length` rows in all. */
  encode(vectors: readonly DuckDBVector[], length: number): Data;
}

/** Allots dictionary ids, one per dictionary column of a result. */
export type DictionaryIds = () => number;

export function dictionaryIds(): DictionaryIds {
  let next = 0;
  return () => next++;
}

/** Throws ArrowTypeError unless every column has a type the encoder carries. */
export function assertEncodable(names: readonly string[], types: readonly DuckDBType[]): void {
  types.forEach((type, j) => assertCarried(names[j] ?? `#${j}`, type));
}

export function columnEncoder(name: string, type: DuckDBType, ids: DictionaryIds): ColumnEncoder {
  assertCarried(name, type);
  switch (type.typeId) {
    case DuckDBTypeId.TINYINT:
      return integer(name, new Int8(), Int8Array);
    case DuckDBTypeId.SMALLINT:
      return integer(name, new Int16(), Int16Array);
    case DuckDBTypeId.INTEGER:
      return integer(name, new Int32(), Int32Array);
    case DuckDBTypeId.UTINYINT:
      return integer(name, new Uint8(), Uint8Array);
    case DuckDBTypeId.USMALLINT:
      return integer(name, new Uint16(), Uint16Array);
    case DuckDBTypeId.UINTEGER:
      return integer(name, new Uint32(), Uint32Array);
    case DuckDBTypeId.FLOAT:
      return float(name, new Float32(), Float32Array);
    case DuckDBTypeId.DOUBLE:
      return float(name, new Float64(), Float64Array);
    case DuckDBTypeId.BOOLEAN:
      return boolean(name);
    case DuckDBTypeId.DATE:
      return date(name);
    case DuckDBTypeId.TIMESTAMP:
      return timestamp(name, (v) => floorDiv((v as DuckDBTimestampValue).micros, 1000n));
    case DuckDBTypeId.TIMESTAMP_MS:
      return timestamp(name, (v) => (v as DuckDBTimestampMillisecondsValue).millis);
    case DuckDBTypeId.TIMESTAMP_S:
      return timestamp(name, (v) => (v as DuckDBTimestampSecondsValue).seconds * 1000n);
    case DuckDBTypeId.VARCHAR:
      return varchar(name, ids);
    case DuckDBTypeId.ENUM:
      return enumeration(name, type as DuckDBEnumType, ids);
    case DuckDBTypeId.SQLNULL:
      return encoderOf(new Field(name, new Null(), true), (_, length) => makeData({ type: new Null(), length }));
    default:
      throw new ArrowTypeError(`column "${name}" is ${type.toString()}: no encoder for it`);
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

/** Refuses a column that cannot go out as Arrow, naming the SQL cast that fixes it. */
function assertCarried(name: string, type: DuckDBType): void {
  if (!carried.has(type.typeId)) throw new ArrowTypeError(`column "${name}" is ${type.toString()}: ${castAdvice(type.typeId)}`);
}

function castAdvice(typeId: DuckDBTypeId): string {
  switch (typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return 'cast it in SQL before it leaves (count(*)::INTEGER, or ::DOUBLE for a sum that may pass 2^31); counts go out as INTEGER';
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
      return 'the Arrow encoder carries flat columns only, so cast it to VARCHAR (or unnest it) in SQL';
  }
}

function encoderOf(field: Field, encode: ColumnEncoder['encode']): ColumnEncoder {
  return { field: () => field, encode };
}

/** Validity bits, allocated at the first null so columns without nulls carry no bitmap. */
class NullMask {
  private bits: Uint8Array | undefined;
  count = 0;

  constructor(private readonly length: number) {}

  set(index: number): void {
    this.bits ??= new Uint8Array((this.length + 7) >> 3).fill(0xff);
    const byte = index >> 3;
    this.bits[byte] = this.bits[byte]! & ~(1 << (index & 7));
    this.count += 1;
  }

  props(): { nullCount: number; nullBitmap?: Uint8Array } {
    return this.bits ? { nullCount: this.count, nullBitmap: this.bits } : { nullCount: 0 };
  }
}

type IntArray = Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array;

function integer(name: string, type: Int, ArrayType: new (length: number) => IntArray): ColumnEncoder {
  return encoderOf(new Field(name, type, true), (vectors, length) => {
    const { values, nulls } = copyNumbers(vectors, new ArrayType(length));
    return makeData({ type, length, data: values, ...nulls.props() });
  });
}

function float(name: string, type: Float, ArrayType: new (length: number) => Float32Array | Float64Array): ColumnEncoder {
  return encoderOf(new Field(name, type, true), (vectors, length) => {
    const { values, nulls } = copyNumbers(vectors, new ArrayType(length));
    return makeData({ type, length, data: values, ...nulls.props() });
  });
}

function copyNumbers<A extends IntArray | Float32Array | Float64Array>(vectors: readonly DuckDBVector[], values: A) {
  const nulls = new NullMask(values.length);
  let k = 0;
  for (const vector of vectors) {
    for (let i = 0, n = vector.itemCount; i < n; i++, k++) {
      const value = vector.getItem(i) as number | null;
      if (value === null) nulls.set(k);
      else values[k] = value;
    }
  }
  return { values, nulls };
}

function boolean(name: string): ColumnEncoder {
  const type = new Bool();
  return encoderOf(new Field(name, type, true), (vectors, length) => {
    const bits = new Uint8Array((length + 7) >> 3);
    const nulls = new NullMask(length);
    let k = 0;
    for (const vector of vectors) {
      for (let i = 0, n = vector.itemCount; i < n; i++, k++) {
        const value = vector.getItem(i) as boolean | null;
        if (value === null) nulls.set(k);
        else if (value) bits[k >> 3] = bits[k >> 3]! | (1 << (k & 7));
      }
    }
    return makeData({ type, length, data: bits, ...nulls.props() });
  });
}

function date(name: string): ColumnEncoder {
  const type = new DateDay();
  return encoderOf(new Field(name, type, true), (vectors, length) => {
    const days = new Int32Array(length);
    const nulls = new NullMask(length);
    let k = 0;
    for (const vector of vectors) {
      for (let i = 0, n = vector.itemCount; i < n; i++, k++) {
        const value = vector.getItem(i) as DuckDBDateValue | null;
        if (value === null) nulls.set(k);
        else days[k] = value.days;
      }
    }
    return makeData({ type, length, data: days, ...nulls.props() });
  });
}

function timestamp(name: string, millis: (value: unknown) => bigint): ColumnEncoder {
  const type = new TimestampMillisecond();
  return encoderOf(new Field(name, type, true), (vectors, length) => {
    const values = new BigInt64Array(length);
    const nulls = new NullMask(length);
    let k = 0;
    for (const vector of vectors) {
      for (let i = 0, n = vector.itemCount; i < n; i++, k++) {
        const value = vector.getItem(i);
        if (value === null) nulls.set(k);
        else values[k] = millis(value);
      }
    }
    return makeData({ type, length, data: values, ...nulls.props() });
  });
}

/** Towards minus infinity, so a moment before 1970 keeps its millisecond rather than the next one. */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

const utf8Encoder = new TextEncoder();

/** Strings as an Arrow Utf8 column: offsets and one UTF-8 buffer. */
function utf8Data(strings: readonly (string | null)[], nulls?: NullMask): Data<Utf8> {
  const length = strings.length;
  const offsets = new Int32Array(length + 1);
  // One join and one encode: for ASCII text, by far the commonest here, character offsets are byte
  // offsets, which saves a call into the encoder per value.
  let end = 0;
  for (let k = 0; k < length; k++) {
    end += strings[k]?.length ?? 0;
    offsets[k + 1] = end;
  }
  const joined = Buffer.from(strings.join(''), 'utf8');
  if (joined.byteLength !== end) return utf8DataWide(strings, offsets, nulls);
  return makeData({ type: new Utf8(), length, valueOffsets: offsets, data: joined, ...(nulls?.props() ?? { nullCount: 0 }) });
}

/** The same for text beyond ASCII, encoding value by value to learn each one's byte length. */
function utf8DataWide(strings: readonly (string | null)[], offsets: Int32Array, nulls?: NullMask): Data<Utf8> {
  const length = strings.length;
  let bytes = new Uint8Array(offsets[length]! * 2 + 16);
  let end = 0;
  for (let k = 0; k < length; k++) {
    const s = strings[k];
    if (s) {
      let { read, written } = utf8Encoder.encodeInto(s, bytes.subarray(end));
      if (read < s.length) {
        const grown = new Uint8Array(Math.max(bytes.length * 2, end + s.length * 3));
        grown.set(bytes.subarray(0, end));
        bytes = grown;
        ({ read, written } = utf8Encoder.encodeInto(s, bytes.subarray(end)));
      }
      end += written;
    }
    offsets[k + 1] = end;
  }
  return makeData({ type: new Utf8(), length, valueOffsets: offsets, data: bytes.subarray(0, end), ...(nulls?.props() ?? { nullCount: 0 }) });
}

function varchar(name: string, ids: DictionaryIds): ColumnEncoder {
  let mode: 'undecided' | 'utf8' | 'dictionary' = 'undecided';
  let dictionaryType: Dictionary<Utf8, Int32> | undefined;
  const index = new Map<string, number>();
  const chunks: Data<Utf8>[] = [];

  const readStrings = (vectors: readonly DuckDBVector[], length: number) => {
    const strings = new Array<string | null>(length);
    const nulls = new NullMask(length);
    let k = 0;
    for (const vector of vectors) {
      for (let i = 0, n = vector.itemCount; i < n; i++, k++) {
        const value = vector.getItem(i) as string | null;
        strings[k] = value;
        if (value === null) nulls.set(k);
      }
    }
    return { strings, nulls };
  };

  const dictionaryBatch = (strings: readonly (string | null)[], nulls: NullMask): Data => {
    const length = strings.length;
    const indices = new Int32Array(length);
    const added: string[] = [];
    for (let k = 0; k < length; k++) {
      const s = strings[k];
      if (s === null || s === undefined) continue;
      let at = index.get(s);
      if (at === undefined) {
        at = index.size;
        index.set(s, at);
        added.push(s);
      }
      indices[k] = at;
    }
    // The dictionary only grows: the IPC writer sends each later chunk as a delta, so earlier
    // batches' indices stay valid and no value crosses the wire twice.
    if (added.length > 0 || chunks.length === 0) chunks.push(utf8Data(added));
    return makeData({ type: dictionaryType!, length, data: indices, dictionary: new Vector(chunks), ...nulls.props() });
  };

  return {
    field: () => new Field(name, mode === 'dictionary' ? dictionaryType! : new Utf8(), true),
    encode(vectors, length) {
      const { strings, nulls } = readStrings(vectors, length);
      if (mode === 'undecided') {
        mode = repetitive(strings) ? 'dictionary' : 'utf8';
        if (mode === 'dictionary') dictionaryType = new Dictionary(new Utf8(), new Int32(), ids());
      }
      return mode === 'dictionary' ? dictionaryBatch(strings, nulls) : utf8Data(strings, nulls);
    },
  };
}

const dictionarySample = 4096;

/**
 * At most one distinct value per two rows among the first few thousand. A column of ids says no
 * within a sample, so it never pays for hashing all of its values.
 */
function repetitive(strings: readonly (string | null)[]): boolean {
  const seen = new Set<string>();
  let present = 0;
  for (let k = 0, n = Math.min(strings.length, dictionarySample); k < n; k++) {
    const s = strings[k];
    if (s === null || s === undefined) continue;
    present += 1;
    seen.add(s);
  }
  return present > 0 && seen.size * 2 <= present;
}

function enumeration(name: string, enumType: DuckDBEnumType, ids: DictionaryIds): ColumnEncoder {
  const members = enumType.values;
  const width = members.length <= 0x7f ? 8 : members.length <= 0x7fff ? 16 : 32;
  const indexType = width === 8 ? new Int8() : width === 16 ? new Int16() : new Int32();
  const IndexArray = width === 8 ? Int8Array : width === 16 ? Int16Array : Int32Array;
  const type = new Dictionary<Utf8, Int8 | Int16 | Int32>(new Utf8(), indexType, ids());
  // One dictionary for every batch: the members are known before the first row.
  const dictionary = new Vector([utf8Data(members)]);
  const index = new Map(members.map((member, i) => [member, i]));
  return encoderOf(new Field(name, type, true), (vectors, length) => {
    const indices = new IndexArray(length);
    const nulls = new NullMask(length);
    let k = 0;
    for (const vector of vectors) {
      for (let i = 0, n = vector.itemCount; i < n; i++, k++) {
        const value = vector.getItem(i) as string | null;
        if (value === null) nulls.set(k);
        else indices[k] = index.get(value)!;
      }
    }
    return makeData({ type, length, data: indices, dictionary, ...nulls.props() });
  });
}

