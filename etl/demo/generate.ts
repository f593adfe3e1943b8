/**
 * Generates the demo local authority: simulates family after family and streams each family's children
 * into every format at once (canonical CSV, six CIN census years, the Annex A workbook, six SSDA903
 * returns as CSV and as XML), so memory holds one family at a time whatever the size of the run. The
 * partner agencies' aggregates follow. The manifest is written last: its presence means a complete run.
 */
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { careAsAt, childAsAt } from './asAt.ts';
import {
  annexAPeriodFromIso,
  censusYears,
  defaultDemoChildren,
  defaultDemoSeed,
  demoLocalAuthority,
  extractStartDay,
  extractStartIso,
  populationYears,
  referenceDateIso,
  referenceDay,
  simulationStartDay,
} from './constants.ts';
import { isoDate } from './dates.ts';
import { simulateFamily } from './journeys.ts';
import { partnerMeasuresFile, writePartnerMeasures } from './partnerMeasures.ts';
import { createFamily, familiesFor, PopulationTally } from './population.ts';
import { Random } from './random.ts';
import { AnnexAWriter, annexAFileName, type AnnexAList } from './writers/annexA.ts';
import { BufferedTextFile } from './writers/bufferedFile.ts';
import { CanonicalCsvWriter, type CanonicalCsvFile } from './writers/canonicalCsv.ts';
import { CinCensusWriter } from './writers/cinCensusXml.ts';
import { Ssda903Writer, type Ssda903Counts } from './writers/ssda903.ts';

export interface DemoProgress {
  familiesDone: number;
  familiesTotal: number;
  childrenDone: number;
}

export interface DemoOptions {
  seed?: number;
  /** Children aged 0-17 at any mid-year (default 60,000). */
  children?: number;
  outDir: string;
  /** Write children.csv's optional family_id column (DATA.md; default on). */
  familyId?: boolean;
  onProgress?: (progress: DemoProgress) => void;
}

export const familyIdByDefault = true;

/** The family's id in children.csv: siblings share it. */
export const familyIdOf = (familyIndex: number): string => `FAM${String(familyIndex + 1).padStart(7, '0')}`;

/** Each family's care decisions draw from a stream of their own (journeys.ts): the seed, salted. */
const careStreamSalt = 0x6361_7265;

export interface DemoManifest {
  generator: string;
  seed: number;
  children: number;
  localAuthority: { code: string; name: string; region: string };
  referenceDate: string;
  extractStart: string;
  censusYears: number[];
  populationYears: number[];
  annexA: {
    file: string;
    referenceDate: string;
    periodFrom: string;
    periodTo: string;
    rows: Record<AnnexAList, number>;
  };
  /** Children aged 0-17 at mid-2025 in population.csv. */
  populationMid2025: number;
  /** Children of that population whose recorded ethnicity is REFU or NOBT: in `all`, in no ethnicity group. */
  populationMid2025UnknownEthnicity: number;
  families: number;
  /** Data rows per file (header rows not counted), by path relative to the output folder. */
  files: Record<string, { rows: number; bytes: number }>;
  /** CIN census: children and CINdetails episodes per year. */
  cinCensus: { year: number; file: string; children: number; episodes: number }[];
  /** SSDA903 returns: children and episodes per year, the same in the CSV and the XML form. */
  ssda903: Ssda903Counts[];
  /** children.csv carries family_id. */
  familyId: boolean;
  rules: string[];
}

const progressEveryFamilies = 4_096;

export const demoRules = [
  `Simulated family by family: 1-4 siblings who share risk, referrals and (often) CP plans with the same start date. Journeys are simulated from ${isoDate(simulationStartDay)} so children arrive in the extract with earlier plans and referrals.`,
  'Canonical CSV (csv/) is the case-management extract at the reference date: every record with activity on or after 2015-04-01 (EH episodes and CIN episodes open or closed on/after that day, with all their sub-records); what happened after the reference date is absent and end dates after it are blank.',
  'previous_plans / NumberOfPreviousCPP counts every earlier CP plan of the child, including plans before the extract window.',
  'CIN census (cin-census/): one file per year ending 31 March 2021..2026; a child is in a year when a CIN episode was open at any point in it (referral <= 31 March and no closure or closure >= 1 April). Each episode carries every sub-record started by 31 March (also those before the year), as known on 31 March. Unborn children at 31 March have ExpectedPersonBirthDate, no PersonBirthDate and Sex U.',
  "Children looked after: some CP plans end with their children coming into care on the plan's last day (neglect plans more often), a few CIN plans end early in care (teenagers, chronic neglect); a period of care starts with RNE S, later episodes (L, P, T, B, U) start the day the one before ended (X1), and it ends with a reason ceased (E11/E12 adoption, E4A/E13 home, E45-E48 special guardianship, E41, E17/E5/E6 at 18, ...) or is still open.",
  'looked_after.csv (csv/) holds every episode of care open on or after 2015-04-01 as known at the reference date; a period that began earlier arrives without its S episode.',
  'SSDA903 (ssda903-csv/<year>/header.csv and episodes.csv, ssda903-xml/SSDA903_<year>.xml): one return per year ending 31 March 2021..2026, every child with an episode open in the year, each such episode as known on 31 March; dates DD/MM/YYYY; UPNs, postcodes (area NB) and URNs are fictional and must never be stored.',
  'partners/partner_measures.csv: termly school persistent absence and 2-year-old funded take-up, quarterly health was-not-brought and police domestic abuse incidents with children present, 2015-16 to 2025-26; aggregates only.',
  'Annex A (annex-a/): Lists 2-7 for the 12 months 2025-04-01..2026-03-31 (Ofsted asks for 6); overlapping records (List 3 and 5: referral/enquiry date in the period); Lists 6 and 7 one row per episode/plan; List 6 excludes NFA referrals and RC8/RC9 closures; List 1 and Lists 8-11 are not written (no contacts; looked-after children are in the SSDA903 returns).',
  'population.csv: every simulated child aged 0-17 on 30 June of each year 2015..2025, known to services or not; children recorded as REFU/NOBT count in `all`, age_band and sex but in no ethnicity group.',
  'Children are referred up to two months before their 18th birthday and every record stops on it.',
  'Built-in patterns: mixed-heritage families placed in higher risk tiers more often (about 2x the neglect CP rate); neglect plans weighted to under-5s and pre-birth plans; slight sex differences only (adolescent risks); stop-start families; step-up from early help (source 5D) and step-down to early help (RC9 or after a CIN plan).',
];

export async function generateDemo(options: DemoOptions): Promise<DemoManifest> {
  const seed = options.seed ?? defaultDemoSeed;
  const children = options.children ?? defaultDemoChildren;
  if (!Number.isInteger(seed)) throw new Error(`demo seed must be a whole number, not ${seed}`);
  if (!Number.isInteger(children) || children <= 0)
    throw new Error(`demo children must be a whole number above 0, not ${children}`);

  const outDir = options.outDir;
  const csvDir = join(outDir, 'csv');
  const censusDir = join(outDir, 'cin-census');
  const annexDir = join(outDir, 'annex-a');
  const withFamilyId = options.familyId ?? familyIdByDefault;
  // An old manifest would make a half-written folder look complete.
  await rm(join(outDir, 'manifest.json'), { force: true });
  for (const dir of [csvDir, censusDir, annexDir, join(outDir, 'partners')]) await mkdir(dir, { recursive: true });

  const csv = await CanonicalCsvWriter.create(csvDir, withFamilyId);
  const census = await CinCensusWriter.create(censusDir);
  const annex = AnnexAWriter.create(annexDir);
  const ssda903 = await Ssda903Writer.create(outDir);
  const population = new PopulationTally();

  const familiesTotal = familiesFor(children);
  let childrenDone = 0;
  let childNumber = 0;
  for (let index = 0; index < familiesTotal; index++) {
    const random = new Random(seed, index);
    const family = createFamily(index, random);
    simulateFamily(family, random, new Random(seed ^ careStreamSalt, index));
    for (const child of family.children) {
      population.add(child);
      childrenDone++;
      if (child.earlyHelp.length === 0 && child.referrals.length === 0) continue;
      const extract = childAsAt(child, referenceDay, extractStartDay);
      const care = child.care.length === 0 ? [] : careAsAt(child, referenceDay, extractStartDay);
      if (extract.earlyHelp.length === 0 && extract.referrals.length === 0 && care.length === 0) continue;
      childNumber++;
      const childId = `NB${String(childNumber).padStart(6, '0')}`;
      const bornByExtract = child.birthDay <= referenceDay;
      csv.writeChild(childId, familyIdOf(index), child, bornByExtract, extract.earlyHelp, extract.referrals, care);
      census.writeChild(childId, childNumber, child);
      annex.writeChild(childId, childNumber, child, extract.earlyHelp, extract.referrals);
      ssda903.writeChild(childId, childNumber, child, family.homePostcode);
    }
    if (csv.wantsFlush) await csv.flush();
    if (census.wantsFlush) await census.flush();
    if (annex.wantsFlush) await annex.flush();
    if (ssda903.wantsFlush) await ssda903.flush();
    if (options.onProgress && (index + 1) % progressEveryFamilies === 0) {
      options.onProgress({ familiesDone: index + 1, familiesTotal, childrenDone });
    }
  }

  await csv.close();
  await census.close();
  const annexBytes = await annex.close();
  await ssda903.close();
  const partnerRows = await writePartnerMeasures(outDir, seed, children, extractStartDay, referenceDay);

  const populationFile = await BufferedTextFile.create(join(csvDir, 'population.csv'));
  populationFile.write('year,dimension,group,count\n');
  const populationRows = population.rows();
  for (const [year, dimension, group, count] of populationRows)
    populationFile.write(`${year},${dimension},${group},${count}\n`);
  await populationFile.close();
  options.onProgress?.({ familiesDone: familiesTotal, familiesTotal, childrenDone });

  const files: DemoManifest['files'] = {};
  for (const [name, rows] of Object.entries(csv.rows) as [CanonicalCsvFile, number][])
    files[`csv/${name}`] = { rows, bytes: 0 };
  files['csv/population.csv'] = { rows: populationRows.length, bytes: populationFile.bytesWritten };
  const censusCounts = census.counts();
  for (const c of censusCounts) files[`cin-census/${c.file}`] = { rows: c.children, bytes: 0 };
  const annexRows = Object.values(annex.rows()).reduce((a, b) => a + b, 0);
  files[`annex-a/${annexAFileName}`] = { rows: annexRows, bytes: annexBytes };
  const ssda903Counts = ssda903.counts();
  for (const c of ssda903Counts) {
    files[`${c.csvDir}/header.csv`] = { rows: c.children, bytes: 0 };
    files[`${c.csvDir}/episodes.csv`] = { rows: c.episodes, bytes: 0 };
    files[c.xmlFile] = { rows: c.children, bytes: 0 };
  }
  files[partnerMeasuresFile] = { rows: partnerRows, bytes: 0 };
  await fillSizes(outDir, files);

  const manifest: DemoManifest = {
    generator: 'LSCB Insight demo generator (etl/demo)',
    seed,
    children,
    localAuthority: { code: demoLocalAuthority.code, name: demoLocalAuthority.name, region: demoLocalAuthority.region },
    referenceDate: referenceDateIso,
    extractStart: extractStartIso,
    censusYears: [...censusYears],
    populationYears: [...populationYears],
    annexA: {
      file: `annex-a/${annexAFileName}`,
      referenceDate: referenceDateIso,
      periodFrom: annexAPeriodFromIso,
      periodTo: referenceDateIso,
      rows: annex.rows(),
    },
    populationMid2025: population.latestAll(),
    populationMid2025UnknownEthnicity: population.unknownEthnicity,
    families: familiesTotal,
    files,
    cinCensus: censusCounts,
    ssda903: ssda903Counts,
    familyId: withFamilyId,
    rules: demoRules,
  };
  await writeFile(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

async function fillSizes(outDir: string, files: DemoManifest['files']): Promise<void> {
  for (const [path, entry] of Object.entries(files)) entry.bytes = (await stat(join(outDir, path))).size;
}
