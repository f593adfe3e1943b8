/**
 * Fictional postcodes, UPNs and URNs for the SSDA903 return. A real return carries them, and a load
 * must read past them without storing them, so the demo writes them too. None can be real: postcodes
 * use the area "NB" (Northbury; no such UK postcode area exists), URNs start with 99 (Ofsted's fall
 * well short of that). UPNs are well formed, so the census's UPN rules (etl/identity/upnFormat.ts)
 * pass as a real LA's would: a right check letter and the DfE pseudo-LA code 001, with serials from
 * the child number; they are read past and never stored.
 * Derived from running numbers, not random draws, so adding them never shifts the simulation's
 * random streams.
 */

// Letters a postcode's inward code may use (not C, I, K, M, O or V).
const inwardLetters = 'ABDEFGHJLNPQRSTUWXYZ';

/** A scrambled 32-bit value of n, so neighbouring families do not get neighbouring postcodes. */
function mix(n: number): number {
  let z = Math.imul(n ^ (n >>> 16), 0x45d9f3b);
  z = Math.imul(z ^ (z >>> 16), 0x45d9f3b);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A postcode in the fictional NB area, e.g. "NB4 7QD". */
export function fakePostcode(n: number): string {
  const h = mix(n + 1);
  const district = 1 + (h % 12);
  const sector = (h >>> 4) % 10;
  const a = inwardLetters[(h >>> 8) % inwardLetters.length]!;
  const b = inwardLetters[(h >>> 16) % inwardLetters.length]!;
  return `NB${district} ${sector}${a}${b}`;
}

const upnCheckLetters = 'ABCDEFGHJKLMNPQRTUVWXYZ';

/** A well-formed UPN: check letter, LA 001, then nine digits from the child number. */
export function fakeUpn(childNumber: number): string {
  const digits = `001${String(mix(childNumber) % 1_000_000_000).padStart(9, '0')}`;
  let weighted = 0;
  for (let i = 0; i < digits.length; i += 1) weighted += Number(digits[i]) * (i + 2);
  return `${upnCheckLetters[weighted % 23]}${digits}`;
}

/** A seven-digit URN-shaped placement id; foster and family placements have none in the return. */
export function fakeUrn(n: number): string {
  return `99${String(mix(n + 7_919) % 100_000).padStart(5, '0')}`;
}
