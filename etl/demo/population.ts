/**
 * The demo LA's children: families, births and the characteristics children carry for life, plus the
 * mid-year population counts that become population.csv. Births are spread evenly over time so that the
 * number of children aged 0-17 on any 30 June is close to the requested size.
 */
import { ageOn, birthdayOf, dayOf } from './dates.ts';
import { fakePostcode } from './fakeIdentifiers.ts';
import { populationYears, referenceDay } from './constants.ts';
import type { DemoChild, Family, FamilyConcern } from './model.ts';
import { type Random, Weighted } from './random.ts';

// First births are spread over a window long enough that by mid-1997 (the oldest cohort still under 18 in
// June 2015) births from earlier families have reached a steady rate: three gaps of at most 6 years.
const firstBirthFrom = dayOf(1978, 1, 1);
const firstBirthTo = dayOf(2026, 12, 31);
/** Children expected more than this long after the reference date cannot yet be known to anyone. */
const lastUsefulBirth = referenceDay + 280;

const familySize = new Weighted<number>([
  [1, 0.36],
  [2, 0.38],
  [3, 0.17],
  [4, 0.09],
]);
const meanFamilySize = 1 * 0.36 + 2 * 0.38 + 3 * 0.17 + 4 * 0.09;

/**
 * How many families to simulate so that about `children` are aged 0-17 at any mid-year: the birth rate
 * must be children / 18 a year, and each family contributes meanFamilySize births.
 */
export function familiesFor(children: number): number {
  const windowYears = (firstBirthTo - firstBirthFrom) / 365.25;
  return Math.max(1, Math.round(((children / 18) * windowYears) / meanFamilySize));
}

// A North West borough's child population (Census 2021 shape: mostly White British, a large Pakistani
// community, mixed heritage above the England average). Recorded codes REFU/NOBT are added per child below.
export const ethnicityMix = new Weighted<string>([
  ['WBRI', 69.3],
  ['WIRI', 0.4],
  ['WIRT', 0.15],
  ['WOTH', 3.4],
  ['WROM', 0.35],
  ['MWBC', 2.6],
  ['MWBA', 1.2],
  ['MWAS', 2.0],
  ['MOTH', 1.7],
  ['AIND', 2.0],
  ['APKN', 7.2],
  ['ABAN', 1.4],
  ['AOTH', 1.4],
  ['BCRB', 0.5],
  ['BAFR', 2.8],
  ['BOTH', 0.5],
  ['CHNE', 0.5],
  ['OOTH', 1.2],
]);

export type EthnicGroup = 'white' | 'mixed' | 'asian' | 'black' | 'other' | 'unknown';

/** METRICS.md §1 major groups. */
export function ethnicGroupOf(code: string): EthnicGroup {
  switch (code) {
    case 'WBRI':
    case 'WIRI':
    case 'WIRT':
    case 'WOTH':
    case 'WROM':
      return 'white';
    case 'MWBC':
    case 'MWBA':
    case 'MWAS':
    case 'MOTH':
      return 'mixed';
    case 'AIND':
    case 'APKN':
    case 'ABAN':
    case 'AOTH':
      return 'asian';
    case 'BCRB':
    case 'BAFR':
    case 'BOTH':
      return 'black';
    case 'CHNE':
    case 'OOTH':
      return 'other';
    default:
      return 'unknown';
  }
}

/**
 * Share of families in each risk tier (1, 2, 3; the rest are tier 0), and how a family's ethnic group moves
 * it. Mixed-heritage families are placed in the higher tiers more often: the over-representation a real
 * board sees on neglect plans, built in on purpose so the disproportionality page has something to show.
 */
const tierShares = [0.13, 0.05, 0.013] as const;
const tierMultiplier: Record<EthnicGroup, readonly [number, number, number]> = {
  white: [1, 1, 1],
  mixed: [1.35, 2.2, 2.3],
  asian: [0.7, 0.6, 0.55],
  black: [1.05, 1.0, 0.9],
  other: [0.9, 0.85, 0.8],
  unknown: [1, 1, 1],
};

/** Probability that a family's main concern is neglect, by tier; the rest share the other concerns. */
const neglectConcernShare = [0.1, 0.13, 0.42, 0.58] as const;
const otherConcerns = new Weighted<FamilyConcern>([
  ['domesticAbuse', 0.46],
  ['physical', 0.24],
  ['sexual', 0.1],
  ['multiple', 0.2],
]);

const disabilityCodes = new Weighted<string>([
  ['LD', 0.26],
  ['AUT', 0.24],
  ['COMM', 0.14],
  ['BEH', 0.1],
  ['MOB', 0.07],
  ['PC', 0.04],
  ['HEAR', 0.04],
  ['VIS', 0.03],
  ['HAND', 0.02],
  ['INC', 0.02],
  ['CON', 0.02],
  ['DDA', 0.02],
]);

function drawTier(random: Random, group: EthnicGroup): Family['tier'] {
  const m = tierMultiplier[group];
  const u = random.next();
  let edge = tierShares[2] * m[2];
  if (u < edge) return 3;
  edge += tierShares[1] * m[1];
  if (u < edge) return 2;
  edge += tierShares[0] * m[0];
  if (u < edge) return 1;
  return 0;
}

function drawChild(random: Random, birthDay: number, familyEthnicity: string, tier: number): DemoChild {
  // A blended family: a sibling with a different heritage.
  let ethnicity = random.chance(0.05) ? ethnicityMix.draw(random) : familyEthnicity;
  // What the record says, not who the child is: some codes are never obtained or are refused.
  const recording = random.next();
  if (recording < 0.012) ethnicity = 'NOBT';
  else if (recording < 0.017) ethnicity = 'REFU';
  const disabilities: string[] = [];
  if (random.chance(tier >= 2 ? 0.06 : 0.04)) {
    disabilities.push(disabilityCodes.draw(random));
    if (random.chance(0.25)) {
      const second = disabilityCodes.draw(random);
      if (second !== disabilities[0]) disabilities.push(second);
    }
  }
  return {
    birthDay,
    expectedBirthDay: null,
    sex: random.chance(0.512) ? 'M' : 'F',
    ethnicity,
    disabilities,
    adultDay: birthdayOf(birthDay, 18),
    fifthBirthday: birthdayOf(birthDay, 5),
    earlyHelp: [],
    referrals: [],
    cpPlansSoFar: 0,
    care: [],
  };
}

/** A family and its children, all drawn from the family's own random stream. */
export function createFamily(index: number, random: Random): Family {
  const size = familySize.draw(random);
  const familyEthnicity = ethnicityMix.draw(random);
  const group = ethnicGroupOf(familyEthnicity);
  const tier = drawTier(random, group);
  let neglectShare: number = neglectConcernShare[tier];
  if (group === 'mixed') neglectShare = Math.min(0.85, neglectShare * 1.2);
  const concern: FamilyConcern = random.chance(neglectShare) ? 'neglect' : otherConcerns.draw(random);
  const stopStart = tier === 3 ? random.chance(0.45) : tier === 2 ? random.chance(0.15) : false;

  const children: DemoChild[] = [];
  let birth = firstBirthFrom + Math.floor(random.next() * (firstBirthTo - firstBirthFrom + 1));
  for (let i = 0; i < size; i++) {
    if (i > 0) birth += random.int(420, 2_190); // 14 months to 6 years between siblings
    if (birth > lastUsefulBirth) break;
    children.push(drawChild(random, birth, familyEthnicity, tier));
  }
  return { index, tier, concern, stopStart, homePostcode: fakePostcode(index), children };
}

export const ageBands = ['under_1', '1_4', '5_9', '10_15', '16_plus'] as const;

export function ageBandOf(age: number): (typeof ageBands)[number] {
  if (age < 1) return 'under_1';
  if (age < 5) return '1_4';
  if (age < 10) return '5_9';
  if (age < 16) return '10_15';
  return '16_plus';
}

const ethnicGroups = ['white', 'mixed', 'asian', 'black', 'other'] as const;
const midYearDays = populationYears.map((year) => dayOf(year, 6, 30));

/**
 * Children aged 0-17 on each 30 June, by the METRICS.md groups. Counts every simulated child who is alive
 * and resident, known to services or not: the denominator a real ONS estimate would give.
 */
export class PopulationTally {
  private readonly all = new Float64Array(populationYears.length);
  private readonly byAgeBand = ageBands.map(() => new Float64Array(populationYears.length));
  private readonly bySex = [new Float64Array(populationYears.length), new Float64Array(populationYears.length)];
  private readonly byEthnicity = ethnicGroups.map(() => new Float64Array(populationYears.length));
  unknownEthnicity = 0;

  add(child: DemoChild): void {
    for (let y = 0; y < midYearDays.length; y++) {
      const age = ageOn(child.birthDay, midYearDays[y]!);
      if (age < 0 || age >= 18) continue;
      this.all[y]!++;
      this.byAgeBand[ageBands.indexOf(ageBandOf(age))]![y]!++;
      this.bySex[child.sex === 'M' ? 0 : 1]![y]!++;
      const group = ethnicGroupOf(child.ethnicity);
      if (group === 'unknown') {
        if (y === midYearDays.length - 1) this.unknownEthnicity++;
      } else {
        this.byEthnicity[ethnicGroups.indexOf(group)]![y]!++;
      }
    }
  }

  /** population.csv rows: year, dimension, group, count. */
  rows(): [number, string, string, number][] {
    const rows: [number, string, string, number][] = [];
    populationYears.forEach((year, y) => {
      rows.push([year, 'all', 'all', this.all[y]!]);
      ageBands.forEach((band, b) => rows.push([year, 'age_band', band, this.byAgeBand[b]![y]!]));
      rows.push([year, 'sex', 'male', this.bySex[0]![y]!]);
      rows.push([year, 'sex', 'female', this.bySex[1]![y]!]);
      ethnicGroups.forEach((group, g) => rows.push([year, 'ethnicity', group, this.byEthnicity[g]![y]!]));
    });
    return rows;
  }

  latestAll(): number {
    return this.all[this.all.length - 1]!;
  }
}
