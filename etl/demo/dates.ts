/**
 * Dates as whole days since 1970-01-01 (UTC). The generator does arithmetic on millions of dates, so it
 * keeps them as integers and formats them from lookup tables instead of building Date objects: faster, and
 * free of time zones and locale formatting.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const msPerDay = 86_400_000;

export function dayOf(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / msPerDay;
}

// Tables cover every day the demo can touch: births from 1978, periods of care running to an 18th birthday in the 2040s.
const firstTableYear = 1970;
const lastTableYear = 2050;
const tableSize = dayOf(lastTableYear + 1, 1, 1);

let isoTable: string[] | undefined;
let ymdTable: Int32Array | undefined;

function buildTables(): void {
  isoTable = new Array<string>(tableSize);
  ymdTable = new Int32Array(tableSize);
  const date = new Date(0);
  for (let day = 0; day < tableSize; day++) {
    date.setTime(day * msPerDay);
    const y = date.getUTCFullYear();
    const m = date.getUTCMonth() + 1;
    const d = date.getUTCDate();
    ymdTable[day] = y * 10_000 + m * 100 + d;
    isoTable[day] = `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
  }
}

function checkRange(day: number): void {
  if (!(day >= 0 && day < tableSize)) throw new RangeError(`demo date out of range: day ${day}`);
}

/** YYYY-MM-DD. */
export function isoDate(day: number): string {
  if (!isoTable) buildTables();
  checkRange(day);
  return isoTable![day]!;
}

/** DD/MM/YYYY, as the SSDA903 return writes dates. */
export function ukDate(day: number): string {
  const iso = isoDate(day);
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

/** The date as the integer YYYYMMDD: differences of these give completed years of age. */
export function ymd(day: number): number {
  if (!ymdTable) buildTables();
  checkRange(day);
  return ymdTable![day]!;
}

/** Completed years from birth to day (METRICS.md §1): negative when not yet born. */
export function ageOn(birthDay: number, day: number): number {
  if (day < birthDay) return -1;
  return Math.floor((ymd(day) - ymd(birthDay)) / 10_000);
}

/** The day someone born on birthDay turns years old (29 February birthdays fall on 1 March). */
export function birthdayOf(birthDay: number, years: number): number {
  const v = ymd(birthDay);
  return dayOf(Math.floor(v / 10_000) + years, Math.floor(v / 100) % 100, v % 100);
}

/** Excel's serial day number (1900 date system) for a date cell. */
export function excelSerial(day: number): number {
  return day + 25_569;
}

// Working days follow METRICS.md §1: Monday to Friday, not an England bank holiday.
let workingOrdinal: Int32Array | undefined;
let workingDayByOrdinal: Int32Array | undefined;

function buildWorkingDays(): void {
  const csv = readFileSync(
    fileURLToPath(new URL('../../data/reference/calendar/england_bank_holidays.csv', import.meta.url)),
    'utf8',
  );
  const holidays = new Set<number>();
  for (const line of csv.split('\n').slice(1)) {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(line);
    if (m) holidays.add(dayOf(Number(m[1]), Number(m[2]), Number(m[3])));
  }
  workingOrdinal = new Int32Array(tableSize);
  const byOrdinal: number[] = [0];
  let count = 0;
  for (let day = 0; day < tableSize; day++) {
    const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
    if (weekday !== 0 && weekday !== 6 && !holidays.has(day)) {
      count++;
      byOrdinal.push(day);
    }
    workingOrdinal[day] = count;
  }
  workingDayByOrdinal = Int32Array.from(byOrdinal);
}

/** The n-th working day after day (n >= 1): the day x with exactly n working days in (day, x]. */
export function addWorkingDays(day: number, n: number): number {
  if (!workingOrdinal) buildWorkingDays();
  checkRange(day);
  const target = workingDayByOrdinal![workingOrdinal![day]! + n];
  if (target === undefined) throw new RangeError(`working day out of range: ${n} after day ${day}`);
  return target;
}

export { firstTableYear, lastTableYear };
