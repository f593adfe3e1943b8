/** Periods (METRICS.md §1: "from and to are dates, both inclusive. The as-at date is to."). */
export type Period = {
  from: string;
  to: string;
};

export type Cadence = 'quarter' | 'year';

const isoDay = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isRealDate(value: string): boolean {
  const m = isoDay.exec(value);
  if (!m) return false;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).toISOString().slice(0, 10) === value;
}

function iso(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The last day of the month `months` after the month of (year, month). */
function monthEnd(year: number, month: number): Date {
  return new Date(Date.UTC(year, month, 0));
}

/**
 * Board reports use quarters (1 Jan–31 Mar, …) and the DfE reporting year (1 Apr–31 Mar)
 * (METRICS.md §1). Returns every whole period of the cadence that ends within [from, to], oldest first.
 */
export function calendar(cadence: Cadence, from: string, to: string): Period[] {
  const periods: Period[] = [];
  const [fromYear, fromMonth] = from.split('-').map(Number) as [number, number];
  const step = cadence === 'quarter' ? 3 : 12;
  // Period ends fall on the last day of Mar/Jun/Sep/Dec (quarters) or of March (reporting years).
  let endYear = fromYear;
  let endMonth = cadence === 'quarter' ? Math.ceil(fromMonth / 3) * 3 : 3;
  if (cadence === 'year' && fromMonth > 3) endYear += 1;
  for (;;) {
    const end = monthEnd(endYear, endMonth);
    if (iso(end) > to) break;
    const start = new Date(Date.UTC(endYear, endMonth - step, 1));
    if (iso(end) >= from) periods.push({ from: iso(start), to: iso(end) });
    endMonth += step;
    if (endMonth > 12) {
      endMonth -= 12;
      endYear += 1;
    }
  }
  return periods;
}
