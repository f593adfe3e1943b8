import { api, SignInRequired } from '../api.ts';
import { chronologyTimeline, type TimelineSignal } from '../charts/chronologyTimeline.ts';
import { dataTable } from '../dataTable.ts';
import { h } from '../dom.ts';
import { dateInWords } from '../../metrics/contract/caseListColumns.ts';
import {
  chronologyLaneNames,
  type ChronologyEvent,
  type ChronologyLane,
  type ChronologySpell,
} from '../../metrics/contract/chronology.ts';
import './cases.css';

/** Which lane a neglect signal is drawn on: the service that recorded it (METRICS.md §2). */
const signalLanes: Record<string, ChronologyLane> = {
  early_help_started: 'early_help',
  assessment_authorised: 'cin',
  cp_plan_started: 'cp',
};
const signalWords: Record<string, string> = {
  early_help_started: 'Early help showing neglect',
  assessment_authorised: 'Assessment with factor 16A (neglect)',
  cp_plan_started: 'CP plan for neglect',
};

const back = () => h('p', {}, h('a', { href: '#cases' }, 'Back to the case lists'));

/**
 * A child's chronology (officers): the spells of help on a timeline with the neglect signals marked,
 * the same spells as a table, then every recorded event in date order, the same day in process order,
 * codes in words; siblings linked. The view is logged. The previous child is cleared before the next
 * loads, so a failure never leaves one child's record under another's id.
 */
export async function renderChronology(into: HTMLElement, childId: string): Promise<void> {
  const heading = h('h2', { id: 'chronology-heading' }, `Chronology of child ${childId}`);
  const section = (...content: (Node | null)[]) =>
    h(
      'section',
      { id: 'chronology', 'aria-labelledby': 'chronology-heading', class: 'pack-section' },
      heading,
      h('p', { class: 'note' }, 'Identifiable: for audit by officers only. This view is recorded in the access log.'),
      back(),
      ...content,
    );
  into.replaceChildren(section(h('p', { role: 'status' }, `Loading the chronology of child ${childId}…`)));
  let chronology;
  try {
    chronology = await api.chronology(childId);
  } catch (err) {
    if (err instanceof SignInRequired) throw err;
    into.replaceChildren(
      section(
        h(
          'p',
          { class: 'load-error', role: 'alert' },
          `The chronology of child ${childId} could not be loaded: ${(err as Error).message}`,
        ),
      ),
    );
    return;
  }
  const { events, spells, siblings, asAt } = chronology;
  const signals: TimelineSignal[] = events
    .filter((e) => e.neglect && Object.hasOwn(signalLanes, e.kind))
    .map((e) => ({ date: e.date, lane: signalLanes[e.kind]!, label: signalWords[e.kind]! }));
  const chart = chronologyTimeline(spells, signals, {
    title: `Spells of help for child ${childId}, with neglect signals`,
    until: asAt,
    id: 'chronology-timeline',
  });
  into.replaceChildren(
    section(
      siblings.length
        ? h(
            'p',
            { class: 'siblings' },
            `${siblings.length === 1 ? 'Sibling' : 'Siblings'} (same family): `,
            ...siblings.flatMap((id, i) => [
              i > 0 ? ', ' : '',
              h('a', { href: `#chronology/${encodeURIComponent(id)}` }, id),
            ]),
          )
        : h('p', { class: 'siblings' }, 'No siblings are recorded with the same family id.'),
      h('h3', {}, 'Spells of help'),
      h('figure', { class: 'chronology-timeline-figure' }, chart),
      h(
        'div',
        { class: 'table-wrap' },
        dataTable(
          `Spells of help for child ${childId}, oldest first`,
          [
            { header: 'Service', value: (s: ChronologySpell) => chronologyLaneNames[s.lane], rowHeader: true },
            { header: 'From', value: (s) => dateInWords(s.start) },
            { header: 'To', value: (s) => (s.end ? dateInWords(s.end) : 'still open') },
            { header: 'Shows neglect', value: (s) => (s.neglect ? 'yes' : 'no') },
          ],
          spells,
        ),
      ),
      h('h3', {}, 'Every recorded event'),
      h(
        'div',
        { class: 'table-wrap' },
        dataTable(
          `Every recorded event for child ${childId}, oldest first; events of one day in the order of the process`,
          [
            { header: 'Date', value: (e: ChronologyEvent) => dateInWords(e.date), rowHeader: true },
            { header: 'Service', value: (e) => e.service },
            { header: 'Event', value: (e) => e.event },
            { header: 'Detail', value: (e) => e.detail || '–' },
            { header: 'Neglect signal', value: (e) => (e.neglect ? 'yes' : '') },
          ],
          events,
        ),
      ),
    ),
  );
}
