/**
 * CSV as the pack's downloads write it (RFC 4180, CRLF lines), shared by the server's figures CSV
 * and the page's table downloads. A cell a spreadsheet would read as a formula (starting = + - @,
 * tab or carriage return) is prefixed with an apostrophe (OWASP "CSV injection"), except a plain
 * number such as -1.5, which no spreadsheet runs and which must stay a number.
 */
const formulaStart = /^[=+\-@\t\r]/;
const plainNumber = /^[-+]?\d+(\.\d+)?$/;

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (formulaStart.test(text) && !plainNumber.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(rows: (string | number | null | undefined)[][]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
