/** The client's only door to the data: JSON from the server's /api/v1. It never computes a figure. */

export interface Period {
  from: string;
  to: string;
}

export interface MetricsPack {
  period: Period;
  population: { year: number | null; children_0_17: number | null; source: string | null };
  prevalence: Record<string, number | null>;
  suppressed: boolean;
}

export interface DataExtent {
  first_date: string | null;
  extract_date: string | null;
  latest_quarter_end: string | null;
}

export interface CategoryPoint {
  quarter_end: string;
  category: string;
  children: number;
}

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    throw new Error(body.error ?? `${response.status} ${response.statusText}`);
  }
  return (await response.json()) as T;
}

const query = (period: Period) => `from=${encodeURIComponent(period.from)}&to=${encodeURIComponent(period.to)}`;

export const api = {
  extent: () => getJson<DataExtent>('/api/v1/extent'),
  metrics: (period: Period) => getJson<MetricsPack>(`/api/v1/metrics?${query(period)}`),
  series: (name: string, period: Period) =>
    getJson<{ series: string; period: Period; rows: CategoryPoint[] }>(`/api/v1/series/${encodeURIComponent(name)}?${query(period)}`),
};
