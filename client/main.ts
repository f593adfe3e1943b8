import { api, type CategoryPoint, type MetricsPack } from './api.ts';
import { categoryLines } from './charts/categoryLines.ts';
import { cpCategoryStyle } from './charts/palette.ts';
import { dataTable } from './dataTable.ts';
import { formatCount, formatDate, formatRate } from './format.ts';
import { quartersBetween, windowStart, type Quarter } from './quarters.ts';

/** The board pack page: every number comes from the API; this file only lays them out. */

const trendQuarters = 20;
const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function renderHeadline(pack: MetricsPack): void {
  const p = pack.prevalence;
  element('period-note').textContent =
    `As at ${formatDate(pack.period.to)}. Rates per 10,000 children aged 0–17 ` +
    `(${formatCount(pack.population.children_0_17)}, mid-${pack.population.year ?? '?'} estimate).`;
  const figures: [key: string, label: string, rateKey: string][] = [
    ['cp_open', 'Children on a child protection plan', 'cp_open_rate_per_10k'],
    ['cp_open_neglect_initial', 'of whom the plan’s initial category is neglect', 'cp_open_neglect_initial_rate_per_10k'],
  ];
  const list = element('headline-figures');
  list.replaceChildren();
  for (const [key, label, rateKey] of figures) {
    const item = document.createElement('div');
    item.className = 'figure';
    item.innerHTML = '<dt></dt><dd><span class="count"></span><span class="rate"></span></dd>';
    item.querySelector('dt')!.textContent = label;
    const count = item.querySelector<HTMLElement>('.count')!;
    count.textContent = formatCount(p[key]);
    count.dataset['metric'] = key;
    const rate = item.querySelector<HTMLElement>('.rate')!;
    rate.textContent = `${formatRate(p[rateKey])} per 10,000`;
    rate.dataset['metric'] = rateKey;
    list.append(item);
  }
  element('population-note').textContent =
    `Population: ${pack.population.source === 'local' ? 'the local authority’s own population file' : 'ONS mid-year estimate'} ` +
    `for mid-${pack.population.year ?? '?'}. Figures are ${pack.suppressed ? 'suppressed (1–5 shown as c)' : 'unsuppressed'}.`;
}

function renderTrend(points: CategoryPoint[]): void {
  const categories = Object.keys(cpCategoryStyle);
  const chart = categoryLines(
    points.map((p) => ({ date: p.quarter_end, category: p.category, value: p.children })),
    { title: 'Children on child protection plans at each quarter end, by initial category', styles: cpCategoryStyle, valueLabel: 'Children' },
  );
  element('trend-figure').replaceChildren(chart);

  const quarterEnds = [...new Set(points.map((p) => p.quarter_end))].sort();
  const valueAt = (quarterEnd: string, category: string) =>
    points.find((p) => p.quarter_end === quarterEnd && p.category === category)?.children ?? 0;
  const table = dataTable(
    'Children on child protection plans at each quarter end, by initial category of the open plan',
    [
      { header: 'Quarter end', value: (q: string) => formatDate(q), rowHeader: true },
      ...categories.map((category) => ({
        header: cpCategoryStyle[category]!.name,
        value: (q: string) => formatCount(valueAt(q, category)),
        numeric: true,
      })),
      { header: 'All categories', value: (q: string) => formatCount(categories.reduce((sum, c) => sum + valueAt(q, c), 0)), numeric: true },
    ],
    quarterEnds,
  );
  table.id = 'cp-open-by-category-table';
  element('trend-table').replaceChildren(table);
}

async function showQuarter(quarter: Quarter): Promise<void> {
  const status = element('status');
  document.body.dataset['ready'] = 'false';
  status.textContent = `Loading figures for ${quarter.label}…`;
  try {
    const [pack, series] = await Promise.all([
      api.metrics(quarter),
      api.series('cp_open_by_initial_category', { from: windowStart(quarter.to, trendQuarters), to: quarter.to }),
    ]);
    renderHeadline(pack);
    renderTrend(series.rows);
    status.textContent = `Showing ${quarter.label}.`;
    document.body.dataset['quarter'] = quarter.to;
    document.body.dataset['ready'] = 'true';
  } catch (err) {
    status.textContent = `The figures could not be loaded: ${(err as Error).message}`;
    document.body.dataset['ready'] = 'error';
  }
}

async function start(): Promise<void> {
  const extent = await api.extent();
  if (!extent.first_date || !extent.latest_quarter_end) {
    element('status').textContent = 'The warehouse holds no data yet. Load extracts with `lscb load`.';
    document.body.dataset['ready'] = 'empty';
    return;
  }
  const quarters = quartersBetween(extent.first_date, extent.latest_quarter_end);
  const select = element<HTMLSelectElement>('quarter');
  select.replaceChildren(...quarters.map((q) => new Option(q.label, q.to)));
  const requested = new URLSearchParams(location.search).get('quarter');
  const initial = quarters.find((q) => q.to === requested) ?? quarters[0]!;
  select.value = initial.to;
  select.addEventListener('change', () => {
    const quarter = quarters.find((q) => q.to === select.value)!;
    history.replaceState(null, '', `?quarter=${quarter.to}`);
    void showQuarter(quarter);
  });
  await showQuarter(initial);
}

void start().catch((err: Error) => {
  element('status').textContent = `The page could not start: ${err.message}`;
  document.body.dataset['ready'] = 'error';
});
