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

/**
 * Greys for structure. Ink and line pass 4.5:1 on white, so they serve for text as well as rules;
 * mark grey (#999999, 2.85:1) fails 3:1 and is only ever a fill inside a line-grey outline.
 */
export const neutral = {
  ink: '#0b0c0c',
  line: '#505a5f',
  mark: '#999999',
  rule: '#b1b4b6',
} as const;

/**
 * SPC signals (NHS "Making Data Count"): concern vermilion, improvement blue, special cause with
 * no preferred direction reddish purple, common cause grey with a dark outline. Every chart pairs
 * these with a shape and words, so they are never the only cue.
 */
export const spcSignalColour = {
  common_cause: { fill: neutral.mark, stroke: neutral.line },
  special_cause_improvement: { fill: okabeIto.blue, stroke: '#ffffff' },
  special_cause_concern: { fill: okabeIto.vermilion, stroke: '#ffffff' },
  special_cause_neither: { fill: okabeIto.reddishPurple, stroke: '#ffffff' },
} as const;
