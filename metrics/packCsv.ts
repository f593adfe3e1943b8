import { toCsv } from './contract/csv.ts';

/**
 * The board pack's figures as one CSV: one row per figure path with its value and the period it
 * is for, written from the very pack object the page is given (so board output carries c exactly
 * where the page shows c). Disproportionality rows are keyed by their group, so every path names
 * one number: disproportionality.cp_open_neglect.ethnicity.mixed.rate_per_10k.
 */
export interface PackForCsv {
  period: { from: string; to: string };
  previousPeriod: { from: string; to: string };
  figures: object;
  previous: object;
  neglectTrend: { figure: string; points: { period_to: string; value: unknown }[] };
  benchmarks?: { year: number; measures: Record<string, object> };
}

type Row = [path: string, value: number | string | null, from: string, to: string];

const skipped = new Set(['period', 'suppressed', 'benchmarks', 'denominators']);

/** Leaves that are figures: numbers, c, or null. Text such as a source name is not a figure. */
function flatten(node: unknown, prefix: string, period: { from: string; to: string }, rows: Row[]): void {
  if (node === null || typeof node === 'number' || node === 'c') {
    rows.push([prefix, node, period.from, period.to]);
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((item, i) => {
      // A partner measure (METRICS.md §11) is keyed by measure and agency, and its value belongs to
      // the partner's own period, not the pack's: the row says which.
      const partner = partnerOf(item);
      if (partner) {
        const own = { from: partner.period_start, to: partner.period_end };
        for (const leaf of ['numerator', 'denominator', 'value'] as const)
          flatten(partner[leaf], `${prefix}.${partner.measure}.${partner.agency}.${leaf}`, own, rows);
        return;
      }
      const group = item && typeof item === 'object' ? (item as { group?: unknown }).group : undefined;
      const key = typeof group === 'string' ? group : String(i);
      flatten(item, `${prefix}.${key}`, period, rows);
    });
    return;
  }
  if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (prefix === '' && skipped.has(key)) continue;
      if (key === 'group') continue;
      flatten(value, prefix ? `${prefix}.${key}` : key, period, rows);
    }
  }
}

interface PartnerRow {
  measure: string;
  agency: string;
  period_start: string;
  period_end: string;
  numerator: unknown;
  denominator: unknown;
  value: unknown;
}

function partnerOf(item: unknown): PartnerRow | undefined {
  if (!item || typeof item !== 'object') return undefined;
  const row = item as Partial<PartnerRow>;
  return typeof row.measure === 'string' && typeof row.agency === 'string' && typeof row.period_end === 'string'
    ? (row as PartnerRow)
    : undefined;
}

export function packFiguresRows(pack: PackForCsv): Row[] {
  const rows: Row[] = [];
  flatten(pack.figures, '', pack.period, rows);
  flatten(pack.previous, '', pack.previousPeriod, rows);
  // The trend's own quarter and the one before are already among the figures above.
  const shown = new Set([pack.period.to, pack.previousPeriod.to]);
  for (const point of pack.neglectTrend.points.filter((p) => !shown.has(p.period_to))) {
    const value = typeof point.value === 'number' || point.value === 'c' ? point.value : null;
    rows.push([pack.neglectTrend.figure, value, calendarQuarterStart(point.period_to), point.period_to]);
  }
  if (pack.benchmarks) {
    const dfeYear = { from: `${pack.benchmarks.year - 1}-04-01`, to: `${pack.benchmarks.year}-03-31` };
    for (const [measure, values] of Object.entries(pack.benchmarks.measures)) {
      const {
        england,
        region,
        statistical_neighbours: neighbours,
      } = values as {
        england?: unknown;
        region?: unknown;
        statistical_neighbours?: { mean?: unknown };
      };
      const comparators = [
        ['england', england],
        ['region', region],
        ['statistical_neighbours', neighbours?.mean],
      ] as const;
      for (const [where, value] of comparators) {
        const shown = typeof value === 'number' ? value : null;
        rows.push([`benchmarks.${measure}.${where}`, shown, dfeYear.from, dfeYear.to]);
      }
    }
  }
  return rows;
}

/** The first day of the calendar quarter ending on `quarterEnd`. */
function calendarQuarterStart(quarterEnd: string): string {
  const [year, month] = quarterEnd.split('-').map(Number) as [number, number];
  return `${year}-${String(month - 2).padStart(2, '0')}-01`;
}

export function packFiguresCsv(pack: PackForCsv): { csv: string; rows: number } {
  const rows = packFiguresRows(pack);
  return { csv: toCsv([['figure', 'value', 'period_from', 'period_to'], ...rows]), rows: rows.length };
}
