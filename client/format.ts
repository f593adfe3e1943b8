/** Numbers as the board reads them: counts with thousands separators, rates to 1 decimal place (DfE). */
const countFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const rateFormat = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export function formatCount(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return typeof value === 'number' ? countFormat.format(value) : value;
}

export function formatRate(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return typeof value === 'number' ? rateFormat.format(value) : value;
}

export function formatDate(iso: string): string {
  const date = new Date(`${iso}T00:00:00Z`);
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

const dayInEngland = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
});
const timeInEngland = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
});

/**
 * A moment the server wrote in UTC ("2026-07-01T23:30:00Z") as a reader in England says it:
 * "2 July 2026 at 00:30". Day and time are both England's, so a save just after midnight in
 * summer is dated the day it was made there.
 */
export function formatMoment(isoUtc: string): string {
  const when = new Date(isoUtc);
  return `${dayInEngland.format(when)} at ${timeInEngland.format(when)}`;
}
