/**
 * The DfE's UPN format rules (CIN census 1510, 1530, 1540, 1550; 1560Q for a former UPN), checked
 * while the reader holds the UPN, because the UPN is never staged: the reader keeps only the codes
 * of the rules it breaks (`children.upn_checks`), which etl/validation/cinCensusRules.sql flags.
 *
 * A UPN is 13 characters: a check letter, the three-digit LA code of the LA that allocated it, four
 * digits (the DfE establishment number's) and four more (a serial), then a character that is a
 * digit or, for a temporary UPN, a letter.
 */

/** Check letters by remainder: A–Z without I, O and S. */
const checkLetters = 'ABCDEFGHJKLMNPQRTUVWXYZ';

/** LA codes a UPN's characters 2–4 may hold (post-April 1998 LA codes and the DfE's pseudo-LAs). */
const upnLaCodeRanges: [number, number][] = [
  [1, 5],
  [201, 213],
  [301, 320],
  [330, 336],
  [340, 344],
  [350, 359],
  [370, 373],
  [380, 384],
  [390, 394],
  [420, 420],
  [660, 681],
  [701, 708],
  [800, 803],
  [805, 808],
  [810, 813],
  [815, 816],
  [820, 823],
  [825, 826],
  [830, 831],
  [835, 841],
  [845, 846],
  [850, 852],
  [855, 857],
  [860, 861],
  [865, 896],
  [908, 909],
  [916, 916],
  [919, 919],
  [921, 921],
  [925, 926],
  [928, 929],
  [931, 931],
  [933, 933],
  [935, 938],
  [940, 941],
];

function checkLetterOf(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) sum += Number(digits[i]) * (i + 2);
  return checkLetters[sum % 23]!;
}

/** The codes of the DfE UPN rules a present UPN breaks, in code order; none for a good one. */
export function upnRulesBroken(upn: string): string[] {
  const broken: string[] = [];
  const value = upn.trim().toUpperCase();
  // 1510 is defined on a 13-character UPN whose characters 2–13 are digits (a permanent UPN).
  if (/^[A-Z]\d{12}$/.test(value) && checkLetterOf(value.slice(1)) !== value[0]) broken.push('1510');
  if (value.length === 13) {
    const la = value.slice(1, 4);
    if (!/^\d{3}$/.test(la) || !upnLaCodeRanges.some(([from, to]) => Number(la) >= from && Number(la) <= to))
      broken.push('1530');
  }
  if (!/^\d*$/.test(value.slice(4, 12))) broken.push('1540');
  if (value.length === 13 && !/^[0-9A-HJ-NP-RT-Z]$/.test(value[12]!)) broken.push('1550');
  return broken;
}

/** 1560Q: a former UPN is a letter and twelve digits. */
export function formerUpnBreaks1560Q(formerUpn: string): boolean {
  return !/^[A-Z]\d{12}$/i.test(formerUpn.trim());
}
