import { Warehouse } from '../sql/warehouse.ts';
import { calendar } from '../metrics/calendar.ts';
import { computeMetricsPack, computeMetricsPacks } from '../metrics/figures.ts';
import { fmt } from './support/measure.ts';

export interface MetricsBench {
  label: string;
  quarterSeconds: number;
  trend20Seconds: number;
}

async function timed<T>(work: () => Promise<T>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Every figure of the pack for one quarter, and for a 20-quarter trend, on a loaded warehouse. */
export async function benchMetrics(label: string, dbPath: string, asAt = '2026-03-31'): Promise<MetricsBench> {
  const warehouse = await Warehouse.open(dbPath); // writable: an older warehouse gets the current schema, macros and reference tables
  try {
    const quarter = calendar('quarter', asAt, asAt)[0] ?? { from: '2026-01-01', to: asAt };
    await computeMetricsPack(warehouse, quarter); // warm: first use reads the file
    const quarterSeconds = Math.min(
      await timed(() => computeMetricsPack(warehouse, quarter)),
      await timed(() => computeMetricsPack(warehouse, quarter)),
    );
    const trend = calendar('quarter', '2021-04-01', asAt).slice(-20);
    const trend20Seconds = await timed(() => computeMetricsPacks(warehouse, trend));
    return { label, quarterSeconds, trend20Seconds };
  } finally {
    warehouse.close();
  }
}

export function printMetrics(b: MetricsBench): void {
  console.log(
    `\nMetrics, ${b.label}: full pack for one quarter ${fmt.s(b.quarterSeconds)} (target < 1 s for the demo LA); ` +
      `20-quarter trend of every figure ${fmt.s(b.trend20Seconds)}`,
  );
}
