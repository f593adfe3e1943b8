import type { Period } from './api.ts';

/** Calendar quarters (1 Jan–31 Mar, ...) as METRICS.md §1 periods, newest first. */
export interface Quarter extends Period {
  label: string;
}

const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function iso(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function quarterEnding(endIso: string): Quarter {
  const [year, month] = endIso.split('-').map(Number) as [number, number];
  const startMonth = month - 2;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return {
    from: iso(year, startMonth, 1),
    to: iso(year, month, lastDay),
    label: `${monthNames[startMonth - 1]}–${monthNames[month - 1]} ${year}`,
  };
}

/** Quarters from the one containing firstIso up to the one ending latestEndIso, newest first. */
export function quartersBetween(firstIso: string, latestEndIso: string): Quarter[] {
  const quarters: Quarter[] = [];
  let [year, month] = latestEndIso.split('-').map(Number) as [number, number];
  const first = firstIso.slice(0, 7);
  for (;;) {
    const quarter = quarterEnding(iso(year, month, 1));
    quarters.push(quarter);
    if (quarter.from.slice(0, 7) <= first) break;
    month -= 3;
    if (month <= 0) {
      month += 12;
      year -= 1;
    }
  }
  return quarters;
}
