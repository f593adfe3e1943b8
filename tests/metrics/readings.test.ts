import { describe, expect, it } from 'vitest';
import type { MetricsPack } from '../../metrics/contract/types.ts';
import { driftReading, repeatReading } from '../../metrics/readings.ts';

/** Only the sections a sentence reads; the rest of the §8 object does not matter to it. */
const pack = (drift: MetricsPack['drift'], percentages: MetricsPack['percentages'] = {}) =>
  ({ drift, percentages, prevalence: {}, repeat: {} }) as unknown as MetricsPack;

describe('the drift sentence', () => {
  it('names the stop-start children showing neglect (METRICS.md §5)', () => {
    expect(driftReading(pack({ cp_open_18m_plus: 9, stop_start_children: 40, stop_start_children_neglect: 12 }))).toBe(
      '9 plans had been open for 18 months or more; 40 children had help close and reopen at least twice in three years, ' +
        '12 of them showing neglect.',
    );
  });

  it('says a suppressed neglect count is too small to publish, never a number', () => {
    expect(
      driftReading(pack({ cp_open_18m_plus: 9, stop_start_children: 40, stop_start_children_neglect: 'c' })),
    ).toContain('too few of them showing neglect to publish');
  });
});

describe('the repeat sentence', () => {
  it('says the history is too short instead of a share of 0%', () => {
    const reading = repeatReading(pack({}, { cp_starts_second_or_subsequent_pct: 0 }), 23.5, {
      repeat_plans: 'too_short',
    });
    expect(reading).toContain('do not yet go back far enough');
    expect(reading).not.toContain('%');
  });
});
