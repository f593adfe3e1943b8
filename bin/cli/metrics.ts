import { existsSync } from 'node:fs';
import { Warehouse, defaultWarehousePath } from '../../sql/warehouse.ts';
import { computeMetricsPack, type MetricsPack, type Period } from '../../metrics/figures.ts';
import { countText } from '../../metrics/numberText.ts';
import { metricsRegistry } from '../../metrics/registry.ts';
import { suppressPack } from '../../metrics/suppression.ts';
import { isoDate, parseFlags, UsageError, type Command } from './command.ts';

export const command: Command = {
  name: 'metrics',
  summary: 'Print the figures of METRICS.md for a period',
  help: `Usage: lscb metrics [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--db FILE] [--suppress] [--json]

Computes every figure for the period (both dates inclusive; the as-at date is --to).
Without dates: the latest complete quarter of the data.

Options:
  --from DATE   first day of the period
  --to DATE     last day of the period, and the as-at date
  --db FILE     warehouse file (default ${defaultWarehousePath})
  --suppress    board output: counts of 1–5 and everything built on them shown as c, with
                secondary suppression (METRICS.md §7)
  --json        print the METRICS.md §8 JSON object instead of a table`,
  async run(argv) {
    const { values } = parseFlags('metrics', argv, {
      from: { type: 'string' },
      to: { type: 'string' },
      db: { type: 'string' },
      json: { type: 'boolean', default: false },
      suppress: { type: 'boolean', default: false },
    });
    const dbPath = values.db ?? defaultWarehousePath;
    if (!existsSync(dbPath))
      throw new UsageError(`lscb metrics: no warehouse at ${dbPath}. Run 'lscb demo' or 'lscb load' first.`);
    const warehouse = await Warehouse.open(dbPath); // writable: an older warehouse gets the current schema, macros and reference tables
    try {
      const period = await resolvePeriod(
        warehouse,
        isoDate('metrics', 'from', values.from),
        isoDate('metrics', 'to', values.to),
      );
      const computed = await computeMetricsPack(warehouse, period);
      const pack = values.suppress ? suppressPack(computed) : computed;
      console.log(values.json ? JSON.stringify(pack, null, 2) : formatPack(pack));
      return 0;
    } finally {
      warehouse.close();
    }
  },
};

/** Missing dates default to the latest complete quarter of the data. */
async function resolvePeriod(warehouse: Warehouse, from?: string, to?: string): Promise<Period> {
  if (from && to) {
    if (from > to) throw new UsageError(`lscb metrics: --from ${from} is after --to ${to}.`);
    return { from, to };
  }
  const extent = await warehouse.withConnection((c) => metricsRegistry().runOne(c, 'data_extent'));
  const quarterEnd = extent['latest_quarter_end'] as string | null;
  const end = to ?? quarterEnd;
  if (!end) throw new UsageError('lscb metrics: the warehouse has no loaded data; give --from and --to.');
  const start = from ?? quarterStart(end);
  if (start > end) throw new UsageError(`lscb metrics: --from ${start} is after --to ${end}.`);
  return { from: start, to: end };
}

function quarterStart(isoDay: string): string {
  const [year, month] = isoDay.split('-').map(Number) as [number, number];
  const startMonth = Math.floor((month - 1) / 3) * 3 + 1;
  return `${year}-${String(startMonth).padStart(2, '0')}-01`;
}

/** Rates and percentages to 1 decimal place on screen, as DfE does (METRICS.md preamble). */
function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'number' && !Number.isInteger(value)) return value.toFixed(1);
  return String(value);
}

/** The population the rates divide by, or why there is none (no estimate for the period: rates show –). */
function populationLine({ children_0_17, year, source }: MetricsPack['population']): string {
  if (children_0_17 === null || children_0_17 === undefined || year === null || year === undefined)
    return 'Population: no estimate of children aged 0–17 for this period, so rates are not given (–)';
  return `Population: ${countText(children_0_17)} children aged 0–17 (mid-${year}, ${source ?? 'no source'})`;
}

export function formatPack(pack: MetricsPack): string {
  const lines = [
    `Period ${pack.period.from} to ${pack.period.to} (as at ${pack.period.to})`,
    populationLine(pack.population),
    `Figures are ${pack.suppressed ? 'suppressed for board output (1–5 shown as c)' : 'unsuppressed (officer view)'}.`,
  ];
  for (const family of ['prevalence', 'repeat', 'drift', 'looked_after', 'strategy'] as const) {
    // looked_after (METRICS.md §10) is absent from packs of callers that leave it out.
    const figures = pack[family] ?? {};
    lines.push('', family);
    const flat: [string, unknown][] = Object.entries(figures).flatMap(([key, value]) =>
      value !== null && typeof value === 'object'
        ? Object.entries(value as Record<string, unknown>).map(([band, v]): [string, unknown] => [`${key}.${band}`, v])
        : [[key, value]],
    );
    const width = Math.max(...flat.map(([k]) => k.length));
    for (const [key, value] of flat) lines.push(`  ${key.padEnd(width)}  ${formatValue(value).padStart(8)}`);
  }
  if (pack.partner && pack.partner.length > 0) {
    // METRICS.md §11: each value belongs to its partner's own period, which is printed beside it.
    lines.push('', 'partner (each measure of each agency, from its latest period ending on or before the as-at date)');
    const width = Math.max(...pack.partner.map((p) => `${p.measure} (${p.agency})`.length));
    for (const p of pack.partner)
      lines.push(
        `  ${`${p.measure} (${p.agency})`.padEnd(width)}  ${formatValue(p.value).padStart(8)}  ${p.unit}, ${p.period_start} to ${p.period_end}`,
      );
  }
  lines.push('', 'disproportionality (rate per 10,000 with 95% interval; ratio to all children in known groups)');
  for (const [cohort, dimensions] of Object.entries(pack.disproportionality)) {
    for (const [dimension, rows] of Object.entries(dimensions)) {
      lines.push(`  ${cohort} by ${dimension}`);
      for (const row of rows) {
        const rate =
          row.rate_per_10k === null
            ? 'count only'
            : `${formatValue(row.rate_per_10k)} (${formatValue(row.ci_low)}–${formatValue(row.ci_high)}), ratio ${formatValue(row.ratio)}, ${row.flag}`;
        lines.push(`    ${row.group.padEnd(9)} ${String(row.count).padStart(6)}  ${rate}`);
      }
    }
  }
  const denominators = pack['denominators'] as Record<string, { note: string }> | undefined;
  if (denominators) {
    lines.push('', 'denominators');
    for (const [dimension, d] of Object.entries(denominators)) lines.push(`  ${dimension}: ${d.note}`);
  }
  return lines.join('\n');
}
