/**
 * A period of care laid out in full when it starts, as the referral episodes are: how the child came
 * in (legal status), where they live (placements), what changes while they are looked after, and how
 * care ends. Each change starts a new SSDA903 episode on the day the one before ended (RNE L, P, T, B
 * or U; the ended episode's reason ceased is X1); the last episode ends with the period's reason
 * ceased. Numbers are the calibration table's (calibration.ts, `care`).
 */
import {
  band,
  care,
  careLengthDays,
  careOutcomeByAge,
  careStartLegalStatus,
  placementMovesPerYear,
  type CareOutcome,
} from './calibration.ts';
import { ageOn } from './dates.ts';
import { fakePostcode, fakeUrn } from './fakeIdentifiers.ts';
import type { CareEpisode, DemoChild } from './model.ts';
import { Weighted, type Random } from './random.ts';

export type CareRoute = 'afterCpPlan' | 'fromCinPlan';

/** A placement: SSDA903 placement type and provider, and whether the carers are family or friends. */
interface Placement {
  type: string;
  provider: string;
  relative: boolean;
}

/** Something that changes on a day within the period: the legal status, the placement, or both. */
interface CareChange {
  day: number;
  legalStatus?: string;
  placement?: Placement;
  /** The placement type changed but the carers did not (a short-term foster placement made long-term). */
  sameCarer?: boolean;
  reasonPlaceChange?: string;
}

const fosterTypes = new Set(['U1', 'U2', 'U3', 'U4', 'U5', 'U6']);
const withoutUrn = new Set([...fosterTypes, 'P1']);

const placeChangeReasons = new Weighted<string>([
  ['CARPL', 0.36],
  ['CREQB', 0.14],
  ['CREQO', 0.14],
  ['LAREQ', 0.1],
  ['CHILD', 0.07],
  ['STAND', 0.04],
  ['ALLEG', 0.03],
  ['CLOSE', 0.05],
  ['OTHER', 0.07],
]);

function placement(type: string, random: Random): Placement {
  const relative = type === 'U1' || type === 'U2' || type === 'U3';
  let provider: string;
  if (type === 'P1') provider = 'PR0';
  else if (relative) provider = 'PR1';
  else if (fosterTypes.has(type)) provider = random.chance(0.6) ? 'PR1' : 'PR4';
  else if (type === 'R1' || type === 'H5') provider = random.chance(0.75) ? 'PR4' : 'PR1';
  else provider = random.chance(0.7) ? 'PR1' : 'PR5'; // placed for adoption: the LA's own agency, or a voluntary one
  return { type, provider, relative };
}

/** Where a child goes on coming into care, or on moving, by age: foster care mostly, homes for teenagers. */
function drawPlacement(age: number, random: Random): Placement {
  const u = random.next();
  if (age < 1) return placement(u < 0.58 ? 'U6' : u < 0.8 ? 'U3' : u < 0.95 ? 'U5' : 'P1', random);
  if (age < 12) return placement(u < 0.62 ? 'U6' : u < 0.86 ? 'U3' : u < 0.92 ? 'R1' : 'P1', random);
  if (u < 0.5) return placement('U6', random);
  if (u < 0.75) return placement('R1', random);
  if (u < 0.88) return placement('U3', random);
  return placement(age >= 16 ? 'H5' : 'R1', random);
}

function drawOutcome(age: number, random: Random): CareOutcome {
  if (age < 5) return careOutcomeByAge.under5.draw(random);
  if (age < 12) return careOutcomeByAge.under12.draw(random);
  return careOutcomeByAge.teenager.draw(random);
}

function reasonCeased(outcome: CareOutcome, last: Placement, random: Random): string {
  const u = random.next();
  switch (outcome) {
    case 'adoption':
      return u < 0.6 ? 'E11' : 'E12';
    case 'specialGuardianship':
      if (last.relative) return u < 0.8 ? 'E45' : 'E47';
      return u < 0.5 ? 'E46' : u < 0.8 ? 'E47' : 'E48';
    case 'childArrangements':
      return 'E41';
    case 'home':
      return u < 0.75 ? 'E4A' : u < 0.9 ? 'E13' : 'E4B';
    case 'adulthood':
      if (fosterTypes.has(last.type)) return u < 0.45 ? 'E17' : u < 0.9 ? 'E5' : 'E8';
      return u < 0.75 ? 'E5' : u < 0.88 ? 'E6' : 'E8';
    case 'custody':
      return 'E9';
    case 'other':
      return u < 0.5 ? 'E8' : u < 0.8 ? 'E3' : 'E16';
  }
}

/**
 * The episodes of one period of care starting on `start`. `serial` numbers the family's placements so
 * that each gets its own fictional postcode.
 */
export function layOutPeriodOfCare(
  child: DemoChild,
  start: number,
  route: CareRoute,
  categoryOfNeed: string,
  homePostcode: string,
  serial: number,
  random: Random,
): CareEpisode[] {
  const age = ageOn(child.birthDay, start);
  let outcome = drawOutcome(age, random);
  let end = outcome === 'adulthood' ? child.adultDay : start + random.int(...careLengthDays[outcome]);
  const changes: CareChange[] = [];

  // Legal status: police protection or an emergency protection order lasts days, then an interim
  // care order or accommodation by agreement; an interim order becomes a final one (or a placement
  // order, for a child to be adopted) when proceedings end.
  let legalStatus = careStartLegalStatus[route].draw(random);
  const firstLegalStatus = legalStatus;
  let t = start;
  // Once placed with adopters a child does not move again.
  let movesUntil = Number.POSITIVE_INFINITY;
  if (legalStatus === 'L1' || legalStatus === 'L2') {
    t += legalStatus === 'L1' ? random.int(1, 3) : random.int(5, 28);
    legalStatus = random.chance(0.75) ? 'C1' : 'V2';
    changes.push({ day: t, legalStatus });
    // Often the emergency placement hands over to a planned one on the same day (RNE B).
    if (random.chance(0.4)) changes.push({ day: t, placement: drawPlacement(age, random), reasonPlaceChange: 'CARPL' });
  }
  if (legalStatus === 'V2' && outcome !== 'home' && age < 16 && random.chance(0.5)) {
    t += random.int(30, 200);
    legalStatus = 'C1';
    changes.push({ day: t, legalStatus });
  }
  if (legalStatus === 'C1') {
    t += random.int(150, 380);
    if (outcome === 'adoption') {
      changes.push({ day: t, legalStatus: 'E1' });
      // Matched and placed with adopters some months after the placement order (the adoption order
      // follows), or on the day of it when the foster carers adopt (RNE U: new legal status and
      // placement type, same carers).
      const withFosterCarers = random.chance(0.2);
      const placed = withFosterCarers ? t : t + random.int(30, 200);
      changes.push({
        day: placed,
        placement: placement(withFosterCarers ? 'A5' : 'A6', random),
        sameCarer: withFosterCarers,
        reasonPlaceChange: 'CARPL',
      });
      end = Math.max(end, placed + random.int(90, 300));
      movesUntil = placed;
    } else {
      changes.push({ day: t, legalStatus: 'C2' });
    }
  } else if (outcome === 'adoption') {
    outcome = 'specialGuardianship'; // no care order, so no placement order: guardians instead
  }
  if (end >= child.adultDay) {
    end = child.adultDay;
    outcome = 'adulthood';
  }

  // Placement moves, more often in the first year and for teenagers.
  const teen = age >= 12 ? placementMovesPerYear.teenagerMultiplier : 1;
  for (let day = start; ;) {
    const rate = (day - start < 365 ? placementMovesPerYear.firstYear : placementMovesPerYear.later) * teen;
    day += Math.max(7, Math.round(random.exponential(365 / rate)));
    if (day >= Math.min(end, movesUntil)) break;
    changes.push({
      day,
      placement: drawPlacement(ageOn(child.birthDay, day), random),
      reasonPlaceChange: placeChangeReasons.draw(random),
    });
  }
  // A child staying in care long term: the foster placement is made long-term with the same carers.
  if (outcome === 'adulthood' && age < 14 && random.chance(0.5)) {
    const day = start + random.int(300, 700);
    if (day < end)
      changes.push({ day, placement: placement('U4', random), sameCarer: true, reasonPlaceChange: 'PLACE' });
  }
  // Going home under a care order starts with a placement with parents.
  if (outcome === 'home' && legalStatus === 'C1' && random.chance(0.3)) {
    const day = end - random.int(60, 200);
    if (day > t) changes.push({ day, placement: placement('P1', random), reasonPlaceChange: 'CARPL' });
  }

  changes.sort((a, b) => a.day - b.day);
  let current = drawPlacement(age, random);
  let placementSerial = serial;
  const where = (p: Placement): { postcode: string; urn: string } => ({
    postcode: p.type === 'P1' ? homePostcode : fakePostcode(placementSerial),
    urn: withoutUrn.has(p.type) ? 'XXXXXXX' : fakeUrn(placementSerial),
  });
  let place = where(current);
  const episodes: CareEpisode[] = [];
  let status = firstLegalStatus;
  // An episode opened on `day`, in the current placement and legal status, running until the period ends.
  const opened = (day: number, reasonNewEpisode: string): CareEpisode => ({
    start: day,
    end,
    reasonNewEpisode,
    legalStatus: status,
    categoryOfNeed,
    placement: current.type,
    placementProvider: current.provider,
    placementPostcode: place.postcode,
    urn: place.urn,
    reasonCeased: '',
    reasonPlaceChange: '',
  });
  let episode = opened(start, 'S');
  for (let i = 0; i < changes.length;) {
    const day = changes[i]!.day;
    if (day >= end) break;
    // Changes on the same day make one new episode.
    let newStatus: string | undefined;
    let newPlacement: Placement | undefined;
    let sameCarer = true;
    let reasonPlaceChange = '';
    for (; i < changes.length && changes[i]!.day === day; i++) {
      const c = changes[i]!;
      if (c.legalStatus !== undefined) newStatus = c.legalStatus;
      if (c.placement !== undefined) {
        newPlacement = c.placement;
        sameCarer = c.sameCarer === true;
        reasonPlaceChange = c.reasonPlaceChange ?? '';
      }
    }
    if (day <= episode.start) continue; // an episode lasts at least a day
    const legalChanged = newStatus !== undefined && newStatus !== status;
    if (!legalChanged && newPlacement === undefined) continue;
    let rne: string;
    if (newPlacement === undefined) rne = 'L';
    else if (legalChanged) rne = sameCarer ? 'U' : 'B';
    else rne = sameCarer ? 'T' : 'P';
    episode.end = day;
    episode.reasonCeased = 'X1';
    if (newPlacement !== undefined) episode.reasonPlaceChange = reasonPlaceChange;
    episodes.push(episode);
    if (legalChanged) status = newStatus!;
    if (newPlacement !== undefined) {
      current = newPlacement;
      if (!sameCarer) placementSerial++;
      place = where(current);
    }
    episode = opened(day, rne);
  }
  episode.reasonCeased = reasonCeased(outcome, current, random);
  episodes.push(episode);
  return episodes;
}

/** The category of need of a period of care, by how the child came in. */
export function drawCategoryOfNeed(route: CareRoute, neglectOrAbuse: boolean, random: Random): string {
  if (route === 'afterCpPlan') return random.chance(care.n1AfterCpPlanChance) ? 'N1' : random.chance(0.5) ? 'N4' : 'N5';
  if (neglectOrAbuse && random.chance(0.6)) return 'N1';
  return band(random.next(), care.needFromCinPlan);
}

/** The child is looked after on day (a period of care covers it). */
export function inCareOn(child: DemoChild, day: number): boolean {
  const episodes = child.care;
  for (let i = episodes.length - 1; i >= 0; i--) {
    const e = episodes[i]!;
    if (e.start <= day && day < e.end) return true;
    if (e.end <= day) return false;
  }
  return false;
}

/** The day the child's latest period of care ends (0 when never looked after). */
export function careEnds(child: DemoChild): number {
  return child.care.length === 0 ? 0 : child.care[child.care.length - 1]!.end;
}
