/**
 * The SSDA903 return (DfE's children looked after collection) for the demo LA, one return per DfE year
 * like the CIN census, in both forms an LA exports: the CSV files `header.csv` and `episodes.csv`
 * (ssda903-csv/<year>/) and the XML `EXPSSDA903` (ssda903-xml/SSDA903_<year>.xml). Both carry the same
 * children and episodes, so loading either gives the same warehouse rows.
 *
 * Who is in a year's return: every child with an episode of care open at any point in the year
 * (1 April to 31 March), with each such episode as known on 31 March: an episode still open then has
 * no end date or reason ceased. CHILD is the LA child id of the CIN census and the canonical CSV.
 * Dates are DD/MM/YYYY. Like a real return it carries a UPN, home and placement postcodes and
 * placement URNs, all fictional (fakeIdentifiers.ts): a load must read past them and store none.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { escapeXml } from '../../xml/entities.ts';
import { careAsAt, type CareEpisodeAsAt } from '../asAt.ts';
import { censusYears } from '../constants.ts';
import { dayOf, ukDate } from '../dates.ts';
import { fakeUpn } from '../fakeIdentifiers.ts';
import type { DemoChild } from '../model.ts';
import { BufferedTextFile } from './bufferedFile.ts';

export const ssda903CsvHeaders = {
  'header.csv': 'CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB',
  'episodes.csv': 'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN',
} as const;

export const ssda903CsvDir = (year: number): string => join('ssda903-csv', String(year));
export const ssda903XmlFile = (year: number): string => join('ssda903-xml', `SSDA903_${year}.xml`);

/** SSDA903 SEX: 1 male, 2 female. */
const sexCode = (child: DemoChild): string => (child.sex === 'M' ? '1' : '2');
const optionalDate = (day: number | null): string => (day === null ? '' : ukDate(day));
/** An XML element, written empty (`<DEC />`) when there is no value, as exports do. */
const element = (name: string, value: string): string =>
  value === '' ? `<${name} />` : `<${name}>${escapeXml(value)}</${name}>`;

interface Ssda903Year {
  year: number;
  from: number;
  to: number;
  header: BufferedTextFile;
  episodes: BufferedTextFile;
  xml: BufferedTextFile;
  children: number;
  episodeRows: number;
}

export interface Ssda903Counts {
  year: number;
  csvDir: string;
  xmlFile: string;
  children: number;
  episodes: number;
}

export class Ssda903Writer {
  private constructor(private readonly years: Ssda903Year[]) {}

  static async create(outDir: string): Promise<Ssda903Writer> {
    const years: Ssda903Year[] = [];
    await mkdir(join(outDir, 'ssda903-xml'), { recursive: true });
    for (const year of censusYears) {
      const csvDir = join(outDir, ssda903CsvDir(year));
      await mkdir(csvDir, { recursive: true });
      const header = await BufferedTextFile.create(join(csvDir, 'header.csv'));
      header.write(ssda903CsvHeaders['header.csv'] + '\n');
      const episodes = await BufferedTextFile.create(join(csvDir, 'episodes.csv'));
      episodes.write(ssda903CsvHeaders['episodes.csv'] + '\n');
      const xml = await BufferedTextFile.create(join(outDir, ssda903XmlFile(year)));
      xml.write('<?xml version="1.0" encoding="UTF-8"?>\n<EXPSSDA903>\n');
      years.push({
        year,
        from: dayOf(year - 1, 4, 1),
        to: dayOf(year, 3, 31),
        header,
        episodes,
        xml,
        children: 0,
        episodeRows: 0,
      });
    }
    return new Ssda903Writer(years);
  }

  /** childNumber makes the child's fictional UPN; homePostcode is the family's. */
  writeChild(childId: string, childNumber: number, child: DemoChild, homePostcode: string): void {
    if (child.care.length === 0) return;
    const upn = fakeUpn(childNumber);
    for (const y of this.years) {
      const episodes = careAsAt(child, y.to, y.from);
      if (episodes.length === 0) continue;
      const dob = ukDate(child.birthDay);
      y.header.write(`${childId},${sexCode(child)},${dob},${child.ethnicity},${upn},,\n`);
      let xml =
        `  <CHILD>\n    <HEADER>${element('CHILDID', childId)}${element('UPN', upn)}${element('SEX', sexCode(child))}` +
        `${element('DOB', dob)}${element('ETHNIC', child.ethnicity)}<UASC /><MOTHER /><MC_DOB /></HEADER>\n`;
      for (const e of episodes) {
        y.episodes.write(csvEpisode(childId, e, homePostcode));
        xml += xmlEpisode(e, homePostcode);
      }
      y.xml.write(xml + '  </CHILD>\n');
      y.children++;
      y.episodeRows += episodes.length;
    }
  }

  get wantsFlush(): boolean {
    return this.years.some((y) => y.header.wantsFlush || y.episodes.wantsFlush || y.xml.wantsFlush);
  }

  async flush(): Promise<void> {
    for (const y of this.years) for (const f of [y.header, y.episodes, y.xml]) if (f.wantsFlush) await f.flush();
  }

  async close(): Promise<void> {
    for (const y of this.years) {
      y.xml.write('</EXPSSDA903>\n');
      for (const f of [y.header, y.episodes, y.xml]) await f.close();
    }
  }

  counts(): Ssda903Counts[] {
    return this.years.map((y) => ({
      year: y.year,
      csvDir: ssda903CsvDir(y.year),
      xmlFile: ssda903XmlFile(y.year),
      children: y.children,
      episodes: y.episodeRows,
    }));
  }
}

function csvEpisode(childId: string, e: CareEpisodeAsAt, homePostcode: string): string {
  return (
    `${childId},${ukDate(e.start)},${e.reasonNewEpisode},${e.legalStatus},${e.categoryOfNeed},${e.placement},` +
    `${e.placementProvider},${optionalDate(e.end)},${e.reasonCeased ?? ''},${e.reasonPlaceChange ?? ''},` +
    `${homePostcode},${e.placementPostcode},${e.urn}\n`
  );
}

function xmlEpisode(e: CareEpisodeAsAt, homePostcode: string): string {
  return (
    `    <EPISODE>${element('DECOM', ukDate(e.start))}${element('RNE', e.reasonNewEpisode)}` +
    `${element('LS', e.legalStatus)}${element('CIN', e.categoryOfNeed)}${element('PL', e.placement)}` +
    `${element('PL_POST', e.placementPostcode)}${element('HOME_POST', homePostcode)}${element('URN', e.urn)}` +
    `${element('PLACE_PROVIDER', e.placementProvider)}${element('DEC', optionalDate(e.end))}` +
    `${element('REC', e.reasonCeased ?? '')}${element('REASON_PLACE_CHANGE', e.reasonPlaceChange ?? '')}</EPISODE>\n`
  );
}
