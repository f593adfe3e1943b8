import { compareDates, dayValue, isoDay } from '../../metrics/contract/dates.ts';
import { quarterOf } from '../../metrics/contract/quarters.ts';
import type { DataExtent, Period } from '../../metrics/contract/types.ts';
import { BadRequest } from './period.ts';

/**
 * What period a request may ask for (docs/SECURITY.md, "Published periods").
 *
 * Board output comes only from published periods: a whole quarter, or a whole DfE reporting year
 * (1 April to 31 March), never one ending inside a quarter. Suppression hides a count of 1–5 in one
 * answer; two answers a day apart would give it back by subtraction (21 plans to 31 March, 18 to 28
 * February: 3 in March), and an as-at inside a quarter would date a child's plan to the day.
 *
 * Every request, whoever makes it, stays within the data (a margin either side) and within a
 * bounded number of periods: a trend to 9999-12-31 or over 500 quarters is refused before any work.
 */
/** Quarters one trend or series may span: 25 years. */
export const maxQuarters = 100;
/** How far before the first recorded event a period may start (history for re-referrals and repeats). */
const yearsBeforeData = 10;
/** How far after the extract date a period may end. */
const yearsAfterData = 1;

const shiftYears = (date: string, years: number) =>
  `${Number(date.slice(0, 4)) + years}${date.slice(4)}`.replace(/-02-29$/, '-02-28');

function quartersSpanned(period: Period): number {
  const [fy, fm] = [Number(period.from.slice(0, 4)), Number(period.from.slice(5, 7))];
  const [ty, tm] = [Number(period.to.slice(0, 4)), Number(period.to.slice(5, 7))];
  return (ty - fy) * 4 + Math.floor((tm - 1) / 3) - Math.floor((fm - 1) / 3) + 1;
}

/** A 400 when the period lies outside the data (plus a margin) or spans too many quarters. */
export function requireWithinData(period: Period, extent: DataExtent, options: { series?: boolean } = {}): void {
  const today = isoDay(new Date());
  const first = extent.first_date ?? extent.extract_date ?? today;
  const last = extent.extract_date ?? today;
  const earliest = shiftYears(first, -yearsBeforeData);
  const latest = shiftYears(last, yearsAfterData);
  for (const [name, value] of [
    ['from', period.from],
    ['to', period.to],
  ] as const) {
    if (compareDates(value, earliest) < 0 || compareDates(value, latest) > 0) {
      throw new BadRequest(
        `'${name}' (${value}) is outside the data, which run from ${first} to ${last}: ` +
          `ask for dates from ${earliest} to ${latest}`,
      );
    }
  }
  if (options.series && quartersSpanned(period) > maxQuarters) {
    throw new BadRequest(
      `a trend or series covers at most ${maxQuarters} quarters (25 years); ask for a shorter range`,
    );
  }
}

const isQuarterStart = (date: string) => /-(01|04|07|10)-01$/.test(date);
const isQuarterEnd = (date: string) => quarterOf(date).to === date;
const isReportingYear = (period: Period) =>
  /-04-01$/.test(period.from) &&
  /-03-31$/.test(period.to) &&
  Number(period.to.slice(0, 4)) === Number(period.from.slice(0, 4)) + 1;

/**
 * For board output: the period must be published. `figures` (one period's figures): exactly a
 * quarter or a reporting year. `series` (a trend or series over many periods): from a quarter's first
 * day to a quarter's last, each point a published period. Either way no later than the latest
 * complete quarter of the data.
 */
export function requirePublishedPeriod(period: Period, extent: DataExtent, kind: 'figures' | 'series'): void {
  const example =
    'e.g. from=2026-01-01&to=2026-03-31 for a quarter, or from=2025-04-01&to=2026-03-31 for a reporting year';
  const whole =
    kind === 'figures'
      ? (isQuarterStart(period.from) && quarterOf(period.from).to === period.to) || isReportingYear(period)
      : isQuarterStart(period.from) && isQuarterEnd(period.to);
  if (!whole) {
    throw new BadRequest(
      `Board figures are published for whole quarters and reporting years only (${example}); ` +
        'an officer can give figures for other periods.',
    );
  }
  const latest = extent.latest_quarter_end;
  if (latest && dayValue(period.to) > dayValue(latest)) {
    throw new BadRequest(`Board figures are published up to the latest complete quarter, ending ${latest}.`);
  }
}
