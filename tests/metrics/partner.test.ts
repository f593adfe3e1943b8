import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBoardPack } from '../../metrics/boardPack.ts';
import { computeMetricsPack } from '../../metrics/figures.ts';
import { academicYearOf, agencyTitle, partnersReading, periodWords } from '../../metrics/partners.ts';
import { metricsRegistry } from '../../metrics/registry.ts';
import { suppressPack } from '../../metrics/suppression.ts';
import type { PartnerFigure } from '../../metrics/contract/types.ts';
import { fixtureWarehouse, type FixtureRow, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';

/**
 * METRICS.md §11 on a hand-built partner_measures.csv:
 *   "Value. numerator / denominator × 100 when the unit is percent; numerator / denominator × 10000
 *    for rate_per_10k; the numerator itself for count."
 *   "Which period. A pack's period takes the partner row whose period ends latest on or before the
 *    as-at date, and says which period that is."
 *   "Board output. A value whose numerator is 1 to 5 is c."
 */
const row = (
  measure: string,
  agency: string,
  period_start: string,
  period_end: string,
  numerator: number,
  denominator: number | null,
  unit: string,
): FixtureRow => ({ measure, agency, period_start, period_end, numerator, denominator, unit });

const fixture = {
  'partner_measures.csv': [
    // Schools, quarterly, and a whole year ending on the same day as the last quarter.
    row('school_persistent_absence', 'Schools', '2025-10-01', '2025-12-31', 1840, 9800, 'percent'),
    row('school_persistent_absence', 'Schools', '2026-01-01', '2026-03-31', 1900, 10000, 'percent'),
    row('school_persistent_absence', 'Schools', '2025-04-01', '2026-03-31', 7000, 40000, 'percent'),
    row('school_persistent_absence', 'Schools', '2026-04-01', '2026-06-30', 2000, 10000, 'percent'),
    // Early years, one period ending before the quarter.
    row('two_year_funded_takeup', 'Early years', '2025-09-01', '2026-01-31', 410, 600, 'percent'),
    // Health, monthly-ish: one period ends on 1 March, the next on 1 April (the day after 31 March).
    row('health_was_not_brought', 'Health', '2026-02-02', '2026-03-01', 120, 4000, 'rate_per_10k'),
    row('health_was_not_brought', 'Health', '2026-03-02', '2026-04-01', 90, 4500, 'rate_per_10k'),
    // Police, a count, and one quarter with a small count.
    row('police_da_incidents_children', 'Police', '2025-10-01', '2025-12-31', 4, null, 'count'),
    row('police_da_incidents_children', 'Police', '2026-01-01', '2026-03-31', 57, null, 'count'),
    // A measure the product does not know, and a small percent numerator.
    row('ambulance_callouts_child_neglect', 'Ambulance service', '2026-01-01', '2026-03-31', 3, 200, 'percent'),
  ],
};

let fx: FixtureWarehouse;
beforeAll(async () => {
  fx = await fixtureWarehouse(fixture, '2026-06-30');
});
afterAll(() => fx?.dispose());

const byMeasure = (figures: PartnerFigure[] | undefined) =>
  Object.fromEntries((figures ?? []).map((f) => [`${f.measure}/${f.agency}`, f]));

describe('partner measures at the as-at date (METRICS.md §11)', () => {
  it('takes each measure and agency from the row ending latest on or before the as-at date, valued by its unit', async () => {
    const pack = await computeMetricsPack(fx.warehouse, { from: '2026-01-01', to: '2026-03-31' });
    const figures = byMeasure(pack.partner);
    expect(Object.keys(figures).sort()).toEqual([
      'ambulance_callouts_child_neglect/Ambulance service',
      'health_was_not_brought/Health',
      'police_da_incidents_children/Police',
      'school_persistent_absence/Schools',
      'two_year_funded_takeup/Early years',
    ]);
    // percent: the quarter ending 31 March 2026 ends on the as-at date, so it counts; the whole year
    // ending the same day is the longer period and gives way to it. 1900 / 10000 × 100 = 19.
    expect(figures['school_persistent_absence/Schools']).toMatchObject({
      unit: 'percent',
      period_start: '2026-01-01',
      period_end: '2026-03-31',
      numerator: 1900,
      denominator: 10000,
    });
    expect(figures['school_persistent_absence/Schools']!.value).toBeCloseTo(19, 9);
    // percent, a period ending two months before: 410 / 600 × 100 = 68.333…
    expect(figures['two_year_funded_takeup/Early years']).toMatchObject({ period_end: '2026-01-31' });
    expect(figures['two_year_funded_takeup/Early years']!.value).toBeCloseTo(68.333333333, 6);
    // rate_per_10k: the period ending 1 April (the day after the as-at date) does not count; the one
    // ending 1 March does: 120 / 4000 × 10000 = 300.
    expect(figures['health_was_not_brought/Health']).toMatchObject({ period_end: '2026-03-01', numerator: 120 });
    expect(figures['health_was_not_brought/Health']!.value).toBeCloseTo(300, 9);
    // count: the numerator itself, 57, with no denominator.
    expect(figures['police_da_incidents_children/Police']).toMatchObject({
      value: 57,
      numerator: 57,
      denominator: null,
    });
    // An id the product does not know is still shown, under its own id: 3 / 200 × 100 = 1.5.
    expect(figures['ambulance_callouts_child_neglect/Ambulance service']!.value).toBeCloseTo(1.5, 9);
  });

  it('counts a period ending on the as-at date and not one ending the day after', async () => {
    // As at 1 April 2026 the health period ending that day counts: 90 / 4500 × 10000 = 200.
    const pack = await computeMetricsPack(fx.warehouse, { from: '2026-01-02', to: '2026-04-01' });
    const health = byMeasure(pack.partner)['health_was_not_brought/Health']!;
    expect(health).toMatchObject({ period_start: '2026-03-02', period_end: '2026-04-01', numerator: 90 });
    expect(health.value).toBeCloseTo(200, 9);
    // As at 31 December 2025, nothing of 2026 counts: schools 1840 / 9800 × 100 = 18.7755…, police
    // 4, and health and the ambulance measure have no row yet.
    const earlier = byMeasure(
      (await computeMetricsPack(fx.warehouse, { from: '2025-10-01', to: '2025-12-31' })).partner,
    );
    expect(Object.keys(earlier).sort()).toEqual([
      'police_da_incidents_children/Police',
      'school_persistent_absence/Schools',
    ]);
    expect(earlier['school_persistent_absence/Schools']!.value).toBeCloseTo(18.775510204, 6);
  });

  it('shows c for a numerator of 1 to 5 in board output, and for the value built on it', async () => {
    const q4 = await computeMetricsPack(fx.warehouse, { from: '2025-10-01', to: '2025-12-31' });
    const board = byMeasure(suppressPack(q4).partner);
    // Police's 4 incidents: numerator 4 is 1–5, so numerator and value are c.
    expect(board['police_da_incidents_children/Police']).toMatchObject({ numerator: 'c', value: 'c' });
    // Schools' 1840 is shown as it is.
    expect(board['school_persistent_absence/Schools']!.numerator).toBe(1840);
    const q1 = byMeasure(
      suppressPack(await computeMetricsPack(fx.warehouse, { from: '2026-01-01', to: '2026-03-31' })).partner,
    );
    // The ambulance measure's 3 of 200: c, though its denominator (200) is shown.
    expect(q1['ambulance_callouts_child_neglect/Ambulance service']).toMatchObject({
      numerator: 'c',
      value: 'c',
      denominator: 200,
    });
    expect(q1['police_da_incidents_children/Police']).toMatchObject({ numerator: 57, value: 57 });
  });

  it('gives each measure its series of periods up to the as-at date, oldest first', async () => {
    const series = await fx.warehouse.withConnection((c) =>
      metricsRegistry().run(c, 'partner_series', { params: { from: '2025-01-01', to: '2026-03-31' } }),
    );
    const schools = series
      .filter((r) => r['measure'] === 'school_persistent_absence')
      .map((r) => [r['period_start'], r['period_end'], r['value']]);
    // The quarter to 30 June 2026 ends after the as-at date: not in the series. The year to 31 March
    // gives way to the quarter ending the same day. 1840 / 9800 × 100 = 18.7755…; 1900 / 10000 × 100 = 19.
    expect(schools).toEqual([
      ['2025-10-01', '2025-12-31', expect.closeTo(18.775510204, 6)],
      ['2026-01-01', '2026-03-31', expect.closeTo(19, 9)],
    ]);
    const health = series.filter((r) => r['measure'] === 'health_was_not_brought').map((r) => r['period_end']);
    expect(health).toEqual(['2026-03-01']);
  });
});

describe('the Partners section of the board pack (METRICS.md §11, §9)', () => {
  it('sets LAIT figures beside the known ids, for the academic year or the newest published, and none beside others', async () => {
    const pack = await buildBoardPack(fx.warehouse, { from: '2026-01-01', to: '2026-03-31' }, { suppress: true });
    const views = Object.fromEntries(pack.partners!.measures.map((m) => [m.measure, m]));
    const absence = views['school_persistent_absence']!;
    expect(absence).toMatchObject({
      title: 'Pupils persistently absent from school (missing 10% or more of their sessions)',
      known: true,
      better: 'lower',
      latest: { period_words: 'January to March 2026', numerator: 1900 },
    });
    // The quarter ends in the 2025/26 academic year (LAIT 2026), not published in the bundle: the
    // newest, 2024/25 (LAIT 2025), is used and named. LAIT TotPerAbNew 2025: England 18.14, North
    // West (Bolton's region, standing in for Northbury) 18.27, Bolton's ten neighbours' mean 19.856
    // (10 of 10 published; worked out from data/reference/dfe/lait_partner_2016_to_2025.csv).
    expect(absence.benchmark).toMatchObject({
      year: 2025,
      year_words: '2024/25 academic year',
      year_rule: 'latest_published',
      england: 18.14,
      region: 18.27,
      region_name: 'North West',
      statistical_neighbours: { count: 10 },
    });
    expect(absence.benchmark!.statistical_neighbours.mean).toBeCloseTo(19.856, 9);
    // Series: October–December 2025 and January–March 2026, as in partner_series.
    expect(absence.series.map((p) => p.period_words)).toEqual(['October to December 2025', 'January to March 2026']);
    // 2-year-olds: LAIT %_2yr_olds 2025, England 65.2.
    expect(views['two_year_funded_takeup']!.benchmark).toMatchObject({ year: 2025, england: 65.2 });
    // No LAIT figure for the rest; an unknown id is its own title.
    expect(views['health_was_not_brought']!.benchmark).toBeNull();
    expect(views['health_was_not_brought']!.latest.period_words).toBe('2 February 2026 to 1 March 2026');
    expect(views['ambulance_callouts_child_neglect']).toMatchObject({
      title: 'ambulance_callouts_child_neglect',
      known: false,
      benchmark: null,
      latest: { numerator: 'c', value: 'c' },
    });
    // Board output: the police quarter with 4 incidents is c in the series too.
    expect(views['police_da_incidents_children']!.series.map((p) => p.value)).toEqual(['c', 57]);
  });
});

describe('the words the Partners section uses', () => {
  it('says a period in months where it is whole months, else day to day', () => {
    expect(periodWords('2026-01-01', '2026-03-31')).toBe('January to March 2026');
    expect(periodWords('2025-04-01', '2026-03-31')).toBe('April 2025 to March 2026');
    expect(periodWords('2024-02-01', '2024-02-29')).toBe('February 2024');
    expect(periodWords('2026-02-02', '2026-03-01')).toBe('2 February 2026 to 1 March 2026');
  });

  it('names an agency sent as an id in words, and keeps a name as written', () => {
    expect(agencyTitle('early_years')).toBe('Early years');
    expect(agencyTitle('Northbury Police')).toBe('Northbury Police');
  });

  it('reads LAIT academic years by the year they end in', () => {
    expect(academicYearOf('2025-08-31')).toBe(2025);
    expect(academicYearOf('2025-09-01')).toBe(2026);
  });
});

describe('the Partners section’s sentence', () => {
  it('says how many measures from how many agencies, and the span of their periods', async () => {
    const pack = await buildBoardPack(fx.warehouse, { from: '2026-01-01', to: '2026-03-31' }, { suppress: false });
    // Five measures from five agencies; periods ending 31 January (2-year-olds), 1 March (health)
    // and 31 March 2026 (the rest).
    expect(pack.partners!.reading).toBe(
      '5 measures from 5 agencies, for periods ending from 31 January 2026 to 31 March 2026: each value is ' +
        'the latest the agency has sent for a period ending by the end of this quarter, which may be earlier than the quarter.',
    );
    expect(partnersReading([])).toBe(
      'No partner agency has sent a measure for a period ending by the end of this quarter.',
    );
  });
});
