/**
 * Okabe-Ito colours that reach 3:1 against white (WCAG 1.4.11): blue, vermilion, bluish green,
 * reddish purple and black. Sky blue, orange and yellow do not, so lines never use them.
 */
export const okabeIto = {
  blue: '#0072B2',
  vermilion: '#D55E00',
  bluishGreen: '#009E73',
  reddishPurple: '#CC79A7',
  black: '#000000',
} as const;

/** CP plan categories (CIN census codes) with their plain-English names and colours. */
export const cpCategoryStyle: Record<string, { name: string; colour: string; dash: string }> = {
  NEG: { name: 'Neglect', colour: okabeIto.blue, dash: '' },
  PHY: { name: 'Physical abuse', colour: okabeIto.vermilion, dash: '6 3' },
  EMO: { name: 'Emotional abuse', colour: okabeIto.bluishGreen, dash: '2 2' },
  SAB: { name: 'Sexual abuse', colour: okabeIto.reddishPurple, dash: '8 3 2 3' },
  MUL: { name: 'Multiple', colour: okabeIto.black, dash: '1 3' },
};
