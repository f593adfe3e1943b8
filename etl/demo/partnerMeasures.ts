/**
 * The partnership's other agencies, as they report to the board: aggregates, never child-level data
 * (DATA.md partner_measures.csv, METRICS.md §11). Schools and early years report by school term,
 * health and police by financial quarter, from the extract start to the reference date. Levels follow
 * England's published series (sources below) with Northbury a little above England on absence, as a
 * North West borough is; values are drawn from the seed's own stream, so the same seed gives the same
 * rows. Counts scale with the demo's size (written for 60,000 children).
 *
 *   school_persistent_absence  LAIT "total persistent absentees" (England 10.5-11.2% 2015/16-2018/19,
 *                              12.1% 2020/21, 22.5% 2021/22 falling to 18.1% 2024/25)
 *   two_year_funded_takeup     DfE "Education provision: children under 5" (England ~58% in 2015,
 *                              68-72% to 2020, 62% in 2021, 72-75% since)
 *   health_was_not_brought     community and outpatient appointments a child was not brought to (5-10%)
 *   police_da_incidents_children  domestic abuse incidents with a child present, a count a quarter
 */
import { join } from 'node:path';
import { dayOf, isoDate } from './dates.ts';
import { Random } from './random.ts';
import { BufferedTextFile } from './writers/bufferedFile.ts';

export const partnerMeasuresHeader = 'measure,agency,period_start,period_end,numerator,denominator,unit';
export const partnerMeasuresFile = join('partners', 'partner_measures.csv');

/** The partner stream is not any family's: families use streams 0, 1, 2, ... of the seed itself. */
const partnerStreamSalt = 0x7061_7274;

export interface PartnerMeasureRow {
  measure: string;
  agency: string;
  periodStart: number;
  periodEnd: number;
  numerator: number;
  denominator: number | null;
  unit: 'percent' | 'count';
}

interface Term {
  /** The academic year's first calendar year: 2015 for 2015/16. */
  academicYear: number;
  name: 'autumn' | 'spring' | 'summer';
  start: number;
  end: number;
}

/**
 * School terms as fixed spans that cover the academic year (the real spring term ends at Easter):
 * autumn 1 September - 31 December, spring 1 January - 31 March, summer 1 April - 31 July.
 */
function termsBetween(from: number, to: number): Term[] {
  const terms: Term[] = [];
  for (let year = 2014; year <= 2026; year++) {
    const spans: Term[] = [
      { academicYear: year, name: 'autumn', start: dayOf(year, 9, 1), end: dayOf(year, 12, 31) },
      { academicYear: year, name: 'spring', start: dayOf(year + 1, 1, 1), end: dayOf(year + 1, 3, 31) },
      { academicYear: year, name: 'summer', start: dayOf(year + 1, 4, 1), end: dayOf(year + 1, 7, 31) },
    ];
    for (const term of spans) if (term.start >= from && term.end <= to) terms.push(term);
  }
  return terms;
}

/** Financial quarters (April-June, ...) wholly inside [from, to]. */
function quartersBetween(from: number, to: number): { start: number; end: number; year: number; q: number }[] {
  const quarters = [];
  for (let year = 2014; year <= 2026; year++) {
    for (let q = 0; q < 4; q++) {
      const month = 4 + q * 3;
      const start = month > 12 ? dayOf(year + 1, month - 12, 1) : dayOf(year, month, 1);
      const endMonth = month + 3;
      const end = (endMonth > 12 ? dayOf(year + 1, endMonth - 12, 1) : dayOf(year, endMonth, 1)) - 1;
      if (start >= from && end <= to) quarters.push({ start, end, year, q });
    }
  }
  return quarters;
}

// England's persistent absence by academic year (LAIT TotPerAbNew; 2019/20 autumn only, 2025/26 assumed).
const persistentAbsencePercent: Record<number, number> = {
  2015: 10.5,
  2016: 10.8,
  2017: 11.2,
  2018: 10.9,
  2019: 11.0,
  2020: 12.1,
  2021: 22.5,
  2022: 21.2,
  2023: 20.0,
  2024: 18.1,
  2025: 17.6,
};
const northburyAbsenceFactor = 1.06;
const absenceTermFactor = { autumn: 0.92, spring: 1.04, summer: 1.05 } as const;

// England's take-up of funded places by eligible 2-year-olds, by the January in the academic year.
const twoYearTakeupPercent: Record<number, number> = {
  2014: 58,
  2015: 68,
  2016: 71,
  2017: 72,
  2018: 68,
  2019: 69,
  2020: 62,
  2021: 72,
  2022: 74,
  2023: 75,
  2024: 75,
  2025: 74,
};

/** Every partner row of a demo run, in measure then period order. */
export function partnerMeasureRows(seed: number, children: number, from: number, to: number): PartnerMeasureRow[] {
  const random = new Random(seed ^ partnerStreamSalt, 0);
  const scale = children / 60_000;
  const noise = (sd: number): number => (random.next() + random.next() + random.next() - 1.5) * 2 * sd;
  const rows: PartnerMeasureRow[] = [];
  const lockdown = dayOf(2020, 4, 1);

  for (const term of termsBetween(from, to)) {
    // Summer 2020: schools were closed to most pupils and absence was not collected.
    if (term.academicYear === 2019 && term.name !== 'autumn') continue;
    const base = persistentAbsencePercent[term.academicYear];
    if (base === undefined) continue;
    const pupils = Math.round(36_700 * scale * (1 + 0.003 * (term.academicYear - 2015)) + noise(150 * scale));
    const percent = Math.max(1, base * northburyAbsenceFactor * absenceTermFactor[term.name] + noise(0.4));
    rows.push({
      measure: 'school_persistent_absence',
      agency: 'schools',
      periodStart: term.start,
      periodEnd: term.end,
      numerator: Math.round((pupils * percent) / 100),
      denominator: pupils,
      unit: 'percent',
    });
  }

  for (const term of termsBetween(from, to)) {
    const base = twoYearTakeupPercent[term.academicYear];
    if (base === undefined) continue;
    const eligible = Math.max(1, Math.round(1_330 * scale + noise(40 * scale)));
    // Settings closed to most children in the summer term of 2020.
    const closed = term.start === lockdown;
    const percent = Math.min(98, Math.max(5, (closed ? base * 0.55 : base) + noise(1.5)));
    rows.push({
      measure: 'two_year_funded_takeup',
      agency: 'early_years',
      periodStart: term.start,
      periodEnd: term.end,
      numerator: Math.min(eligible, Math.round((eligible * percent) / 100)),
      denominator: eligible,
      unit: 'percent',
    });
  }

  const quarters = quartersBetween(from, to);
  for (const { start, end, year, q } of quarters) {
    const firstLockdown = start === lockdown;
    const appointments = Math.max(
      1,
      Math.round(9_000 * scale * (1 + 0.01 * (year - 2015)) * (firstLockdown ? 0.6 : 1) + noise(250 * scale)),
    );
    // Winter quarters miss more appointments; the pandemic's first quarter most of all.
    const percent = 7.2 + (q === 3 ? 0.8 : q === 2 ? 0.4 : 0) + (firstLockdown ? 2.3 : 0) + noise(0.35);
    rows.push({
      measure: 'health_was_not_brought',
      agency: 'health',
      periodStart: start,
      periodEnd: end,
      numerator: Math.round((appointments * percent) / 100),
      denominator: appointments,
      unit: 'percent',
    });
  }

  const seasonal = [1.0, 1.06, 1.03, 0.93];
  for (const { start, end, year, q } of quarters) {
    // Better recording lifts counts over the years; the first lockdown quarter rose sharply.
    const expected = 690 * scale * (1 + 0.012 * (year - 2015)) * seasonal[q]! * (start === lockdown ? 1.12 : 1);
    rows.push({
      measure: 'police_da_incidents_children',
      agency: 'police',
      periodStart: start,
      periodEnd: end,
      numerator: Math.max(0, Math.round(expected + noise(Math.sqrt(expected)))),
      denominator: null,
      unit: 'count',
    });
  }
  return rows;
}

/** Writes partner_measures.csv under outDir; returns its rows. */
export async function writePartnerMeasures(
  outDir: string,
  seed: number,
  children: number,
  from: number,
  to: number,
): Promise<number> {
  const file = await BufferedTextFile.create(join(outDir, partnerMeasuresFile));
  file.write(partnerMeasuresHeader + '\n');
  const rows = partnerMeasureRows(seed, children, from, to);
  for (const r of rows)
    file.write(
      `${r.measure},${r.agency},${isoDate(r.periodStart)},${isoDate(r.periodEnd)},${r.numerator},${r.denominator ?? ''},${r.unit}\n`,
    );
  await file.close();
  return rows.length;
}
