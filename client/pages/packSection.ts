import { h } from '../dom.ts';

/**
 * One section of the board pack: a labelled region with its heading, the sentence the server wrote
 * from the data, then the chart and the table. Every section of the pack is built this one way, so
 * the printed outline and a screen reader's landmarks list them alike.
 */
export const packSection = (id: string, title: string, reading: string | undefined, ...body: (Node | null)[]) =>
  h(
    'section',
    { id, 'aria-labelledby': `${id}-heading`, class: 'pack-section' },
    h('h2', { id: `${id}-heading` }, title),
    reading ? h('p', { class: 'reading' }, reading) : null,
    ...body,
  );
