import { cpCategories, ethnicityCodes } from '../../canonical/model.ts';

/**
 * Annex A cell values to the canonical model's text. A value that maps is staged as its canonical
 * code or ISO date; a value that does not is staged as the workbook shows it, so SQL validation
 * rejects it with its reason (DATA.md: "never silently"). Empty cells are undefined (NULL).
 */

/** What read-excel-file gives for a cell. */
export type Cell = string | number | boolean | Date | null | undefined;

/** Header text and coded values compared without case, apostrophes, punctuation or extra spaces. */
export function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/['‘’`]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Ofsted's coded values carry an ordering prefix: `a) Neglect`, `zz) T4: …`. */
export function stripLetterPrefix(text: string): string {
  return text.replace(/^\s*\(?[a-z]{1,2}\)\s*/i, '').trim();
}

/** The cell as the workbook shows it: trimmed text, whole numbers without decimals, dates as ISO. */
export function cellText(cell: Cell): string | undefined {
  if (cell === null || cell === undefined) return undefined;
  if (cell instanceof Date) return isoFromDate(cell) ?? String(cell);
  if (typeof cell === 'number') return String(cell);
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  const text = String(cell).trim();
  return text === '' ? undefined : text;
}

export function isEmptyCell(cell: Cell): boolean {
  return cellText(cell) === undefined;
}

// ---------------------------------------------------------------------------------------------
// Dates

const dayMs = 86_400_000;
/** Excel serials are read as dates only inside this span; anything else is not a plausible date. */
const serialYears = { from: 1950, to: 2099 } as const;

function ymd(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** ISO date of a calendar date, or undefined when it is not a real one (31/02/2024). */
function realDate(year: number, month: number, day: number): string | undefined {
  const t = new Date(Date.UTC(year, month - 1, day));
  const real = t.getUTCFullYear() === year && t.getUTCMonth() === month - 1 && t.getUTCDate() === day;
  return real ? ymd(year, month, day) : undefined;
}

function isoFromDate(date: Date): string | undefined {
  // read-excel-file returns date cells as UTC midnight (the serial's calendar day).
  if (Number.isNaN(date.getTime())) return undefined;
  return ymd(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

/** An Excel serial day number as an ISO date (1900 date system unless the workbook says 1904). */
export function isoFromSerial(serial: number, epoch1904 = false): string | undefined {
  if (!Number.isFinite(serial)) return undefined;
  // 1900 system: serial 1 is 1900-01-01, counted from 1899-12-30 because Excel keeps Lotus's
  // phantom 29/02/1900 (exact for every serial after February 1900).
  const base = epoch1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  const date = new Date(base + Math.floor(serial) * dayMs);
  const year = date.getUTCFullYear();
  if (year < serialYears.from || year > serialYears.to) return undefined;
  return isoFromDate(date);
}

const monthNames = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** A month written as its name or its three-letter abbreviation (also Sept); 0 when neither. */
function monthNumber(name: string): number {
  const lower = name.toLowerCase();
  const index = monthNames.findIndex(
    (month) => month === lower || month.slice(0, 3) === lower || (lower === 'sept' && month === 'september'),
  );
  return index + 1;
}

/** A date written as text: YYYY-MM-DD, DD/MM/YYYY (also with - or .), or 3 Feb 2024. Never US order. */
export function isoFromText(text: string): string | undefined {
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (m) return realDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(text);
  if (m) return realDate(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{1,2})(?:st|nd|rd|th)?[\s-]+([a-z]{3,9})\.?[\s-]+(\d{4})$/i.exec(text);
  if (m) {
    const month = monthNumber(m[2]!);
    if (month > 0) return realDate(Number(m[3]), month, Number(m[1]));
  }
  return undefined;
}

/**
 * A date cell as staged text: JS Dates (read-excel-file's date cells), Excel serial numbers and
 * date text become YYYY-MM-DD; anything else stays as written so validation rejects it.
 */
export function dateValue(cell: Cell, epoch1904 = false): string | undefined {
  if (cell === null || cell === undefined) return undefined;
  if (cell instanceof Date) return isoFromDate(cell) ?? String(cell);
  if (typeof cell === 'number') return isoFromSerial(cell, epoch1904) ?? String(cell);
  const text = cellText(cell);
  if (text === undefined) return undefined;
  return isoFromText(text) ?? text;
}

// ---------------------------------------------------------------------------------------------
// Codes

/** Builds a lookup from normalised spellings to a code. */
function spellings(table: Record<string, readonly string[]>): Map<string, string> {
  const map = new Map<string, string>();
  for (const [code, names] of Object.entries(table)) {
    for (const name of [code, ...names]) map.set(normalise(name), code);
  }
  return map;
}

/**
 * Gender (Codes_used: a) Male, b) Female, c) Not stated/recorded (or unborn), d) Neither) to the
 * canonical sex M/F/U. `d) Neither` has no place in the CIN census's male/female/unknown, so U.
 */
const genderSpellings = spellings({
  M: ['Male', '1', '1 - Male', 'Boy', 'Man'],
  F: ['Female', '2', '2 - Female', 'Girl', 'Woman'],
  U: [
    'Not stated/recorded',
    'Not stated/recorded (or unborn)',
    'Not stated',
    'Not recorded',
    'Not known',
    'Unknown',
    'Unborn',
    'Unborn/Unknown',
    'Not specified',
    'Unspecified',
    'Withheld',
    'Indeterminate',
    'Neither',
    'Non-binary',
    'Other',
    'Prefer not to say',
    '0',
    '9',
    '0 - Not known',
    '9 - Not specified',
    'Not recorded/Unborn',
  ],
});

export const genderCodesExpected = 'a) Male, b) Female, c) Not stated/recorded or d) Neither';

/** M, F or U; undefined when empty; `unknown` when the spelling is not a gender code. */
export function genderValue(cell: Cell): { value?: string; unknown?: string } {
  const text = cellText(cell);
  if (text === undefined) return {};
  const code = genderSpellings.get(normalise(stripLetterPrefix(text)));
  return code ? { value: code } : { unknown: text };
}

/** The DfE ethnicity labels of Codes_used ("Detail"), for workbooks that send labels not codes. */
const ethnicitySpellings = spellings({
  WBRI: ['White British', 'White - British', 'British'],
  WIRI: ['White Irish', 'White - Irish', 'Irish'],
  WIRT: ['Traveller of Irish heritage', 'White - Traveller of Irish heritage', 'Irish Traveller'],
  WOTH: ['Any other White background', 'White - Any other White background', 'Other White'],
  WROM: ['Gypsy/Roma', 'Gypsy Roma', 'White - Gypsy/Roma', 'Roma', 'Gypsy'],
  MWBC: ['White and Black Caribbean', 'Mixed - White and Black Caribbean'],
  MWBA: ['White and Black African', 'Mixed - White and Black African'],
  MWAS: ['White and Asian', 'Mixed - White and Asian'],
  MOTH: ['Any other Mixed background', 'Mixed - Any other Mixed background', 'Other Mixed'],
  AIND: ['Indian', 'Asian - Indian'],
  APKN: ['Pakistani', 'Asian - Pakistani'],
  ABAN: ['Bangladeshi', 'Asian - Bangladeshi'],
  AOTH: ['Any other Asian background', 'Asian - Any other Asian background', 'Other Asian'],
  BCRB: ['Caribbean', 'Black Caribbean', 'Black - Caribbean'],
  BAFR: ['African', 'Black African', 'Black - African'],
  BOTH: ['Any other Black background', 'Black - Any other Black background', 'Other Black'],
  CHNE: ['Chinese'],
  OOTH: ['Any other ethnic group', 'Other ethnic group', 'Other'],
  REFU: ['Refused', 'Information refused'],
  NOBT: ['Information not yet obtained', 'Not yet obtained', 'Not obtained'],
});
const ethnicityCodePattern = new RegExp(`\\b(${ethnicityCodes.join('|')})\\b`);

/** `k) APKN`, `APKN`, `APKN - Pakistani`, `Pakistani` → APKN; anything else as written. */
export function ethnicityValue(cell: Cell): string | undefined {
  const text = cellText(cell);
  if (text === undefined) return undefined;
  const bare = stripLetterPrefix(text);
  // A code inside longer text counts only written in capitals ("WBRI - White British"), so a
  // word such as "Both" is never read as the code BOTH.
  const inText = ethnicityCodePattern.exec(bare);
  if (inText) return inText[1];
  return ethnicitySpellings.get(normalise(bare)) ?? text;
}

/**
 * Category of abuse (Codes_used: a) Neglect, b) Physical abuse, c) Sexual abuse, d) Emotional
 * abuse, e) Multiple/not recommended). Mapped by its words, never by its letter: workbooks differ
 * in the lettering but not in the words. CIN census codes (NEG, …) are accepted as they are.
 */
const categorySpellings = spellings({
  NEG: ['Neglect'],
  PHY: ['Physical abuse', 'Physical'],
  EMO: ['Emotional abuse', 'Emotional'],
  SAB: ['Sexual abuse', 'Sexual'],
  MUL: ['Multiple/not recommended', 'Multiple', 'Multiple categories', 'Mixed'],
});
for (const code of cpCategories) categorySpellings.set(normalise(code), code);

export function categoryValue(cell: Cell): string | undefined {
  const text = cellText(cell);
  if (text === undefined) return undefined;
  return categorySpellings.get(normalise(stripLetterPrefix(text))) ?? text;
}

const yesNoSpellings = spellings({ Y: ['Yes', 'True', '1'], N: ['No', 'False', '0'] });
const unknownSpellings = new Set(['unknown', 'not known', 'not recorded', 'not stated']);

/** `a) Yes`/`b) No`/Yes/Y/TRUE/1 → Y or N; `c) Unknown` → empty; anything else as written. */
export function yesNoValue(cell: Cell): string | undefined {
  if (typeof cell === 'boolean') return cell ? 'Y' : 'N';
  const text = cellText(cell);
  if (text === undefined) return undefined;
  const bare = normalise(stripLetterPrefix(text));
  if (unknownSpellings.has(bare)) return undefined;
  return yesNoSpellings.get(bare) ?? text;
}

/** The CIN census code at the start of an Annex A coded value, e.g. `q) 6: Police` → 6. */
function leadingCode(cell: Cell, pattern: RegExp): string | undefined {
  const text = cellText(cell);
  if (text === undefined) return undefined;
  const match = pattern.exec(stripLetterPrefix(text));
  return match ? match[1]!.toUpperCase() : text;
}

/** Referral source: `q) 6: Police` → 6, `j) 3D: Health services` → 3D (CIN census ReferralSource). */
export function referralSourceValue(cell: Cell): string | undefined {
  return leadingCode(cell, /^(1[A-D]|2[AB]|3[A-F]|4|5[A-D]|6|7|8|9|10)(?![0-9A-Z])/i);
}

/** Primary need: `N1 - Abuse or neglect` → N1; other text (e.g. local need codes) as written. */
export function primaryNeedValue(cell: Cell): string | undefined {
  return leadingCode(cell, /^(N[0-9])(?![0-9A-Z])/i);
}

/** Reason for closure: `RC7 - Services ceased …` → RC7. */
export function closureReasonValue(cell: Cell): string | undefined {
  return leadingCode(cell, /^(RC[1-9])(?![0-9A-Z])/i);
}

/** Disability: `a) Yes` → Y, `b) No` → N, `c) Unknown` → empty; other text as written. */
export function disabilityValue(cell: Cell): string | undefined {
  return yesNoValue(cell);
}

/** Age of child in years; Ofsted asks for -1 for an unborn child. */
export function isUnbornAge(cell: Cell): boolean {
  const text = cellText(cell);
  return text !== undefined && Number(text) === -1;
}
