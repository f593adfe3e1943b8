/**
 * Numbers as the pack's sentences print them, in British English: "1,234" and "1,234.5". Each
 * formatter is made once, when the module loads: the first Intl number format in a process loads
 * ICU's locale data (10 ms, a twentieth of the demo's cold pack), and made per call each one costs
 * that process a new formatter per number.
 */
const whole = new Intl.NumberFormat('en-GB');
const oneDecimal = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });

/** "1,234": a count (Intl's default of up to three decimals for anything that is not whole). */
export function countText(value: number): string {
  return whole.format(value);
}

/** "1,234.5": a rate or a limit, to at most one decimal. */
export function oneDecimalText(value: number): string {
  return oneDecimal.format(value);
}
