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
