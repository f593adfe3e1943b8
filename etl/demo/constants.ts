/**
 * The fictional local authority the demo simulates, and the fixed dates its extracts describe.
 * Everything that names the LA or pins a date lives here so the three output formats cannot disagree.
 */
import { dayOf } from './dates.ts';

export const demoLocalAuthority = {
  name: 'Northbury',
  /** 990 is not a real LA code (real ones stop below 940), so the demo can never be mistaken for a real return. */
  code: '990',
  region: 'North West',
} as const;

export const defaultDemoChildren = 60_000;
/** Any fixed number would do; this one is the date the generator was specified. */
export const defaultDemoSeed = 20_261_123;

/** The extract date: the last day of the latest DfE reporting year the demo covers. */
export const referenceDateIso = '2026-03-31';
export const referenceDay = dayOf(2026, 3, 31);

/**
 * The case-management extract holds every record with activity on or after this day (the records'
 * "system go-live"). Journeys are simulated from simulationStartDay so that children already known
 * before it arrive with previous plans and recent referrals, as a real extract would.
 */
export const extractStartIso = '2015-04-01';
export const extractStartDay = dayOf(2015, 4, 1);
export const simulationStartDay = dayOf(2004, 4, 1);

/** CIN census collections written: the DfE year is named by the 31 March it ends on. */
export const censusYears = [2021, 2022, 2023, 2024, 2025, 2026] as const;

/** Mid-year (30 June) population estimates written to population.csv. */
export const populationYears = [2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025] as const;

/** Annex A lists cover the 12 months up to the reference date (Ofsted asks for 6; 12 matches the DfE year). */
export const annexAPeriodFromIso = '2025-04-01';
export const annexAPeriodFromDay = dayOf(2025, 4, 1);
