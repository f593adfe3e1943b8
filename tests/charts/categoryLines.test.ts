// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { categoryLines, type CategoryValue } from '../../client/charts/categoryLines.ts';
import { cpCategoryStyle } from '../../client/charts/palette.ts';
import { expectIdsResolve, expectNoBadNumbers, expectSvgSnapshot, expectTitleAndDesc } from './snapshot.ts';

// Five quarters of CP plans by initial category, as the board pack serves them to a board member:
// Sexual abuse and Multiple are c at June 2021 (the demo's defect: both lines dropped to 0 there
// while the table said c), Sexual abuse c again at the last quarter.
const quarters = ['2021-03-31', '2021-06-30', '2021-09-30', '2021-12-31', '2022-03-31'];
const values: Record<string, (number | string)[]> = {
  NEG: [114, 120, 118, 125, 127],
  PHY: [22, 25, 19, 21, 24],
  EMO: [44, 47, 52, 49, 50],
  SAB: [7, 'c', 8, 9, 'c'],
  MUL: [9, 'c', 11, 10, 12],
};
const data: CategoryValue[] = Object.entries(values).flatMap(([category, series]) =>
  series.map((value, i) => ({ date: quarters[i]!, category, value })),
);
const options = {
  title: 'Children on child protection plans by initial category',
  styles: cpCategoryStyle,
  valueLabel: 'Children',
};

describe('categoryLines', () => {
  it('matches the snapshot with suppressed values', () => {
    expectSvgSnapshot(categoryLines(data, options), 'category-lines-suppressed');
  });

  it('has a title and a description naming every suppressed value', () => {
    const { desc } = expectTitleAndDesc(categoryLines(data, options));
    expect(desc).toBe(
      'From Mar 2021 to Mar 2022: Neglect 114 to 127; Physical abuse 22 to 24; Emotional abuse 44 to 50; Sexual abuse 7 to c; Multiple 9 to 12. ' +
        'Suppressed (c, shown as a break in the line): Sexual abuse at Jun 2021 and Mar 2022 and Multiple at Jun 2021.',
    );
  });

  it('METRICS.md §7: a c breaks the line and is a labelled c mark, never a drop to 0', () => {
    const svg = categoryLines(data, options);
    // y = 0 is the plot's bottom (height 320 − margin 32 = 288). No vertex of any line may sit there:
    // every value drawn is 7 or more, and a suppressed one is no vertex at all.
    for (const path of svg.querySelectorAll('path.series')) {
      const ys = [...(path.getAttribute('d') ?? '').matchAll(/[ML][\d.]+,([\d.]+)/g)].map((m) => Number(m[1]));
      expect(ys.every((v) => v < 288)).toBe(true);
    }
    // Sexual abuse: 7 | c | 8, 9 | c → two pieces (M … and M … L …); the single point 7 is an M alone.
    const sab = svg.querySelector('path.series-SAB')!.getAttribute('d')!;
    expect(sab.match(/M/g)).toHaveLength(2);
    const mul = svg.querySelector('path.series-MUL')!.getAttribute('d')!;
    expect(mul.match(/M/g)).toHaveLength(2);
    // Three marks, each the letter c with a title saying which value it stands for.
    const marks = [...svg.querySelectorAll('.suppressed-mark')];
    expect(marks.map((m) => m.querySelector('text')!.textContent)).toEqual(['c', 'c', 'c']);
    expect(marks.map((m) => m.querySelector('title')!.textContent!.split(':')[0])).toEqual([
      'Sexual abuse, Jun 2021',
      'Sexual abuse, Mar 2022',
      'Multiple, Jun 2021',
    ]);
    // The Jun 2021 Sexual abuse mark sits between its neighbours 7 and 8, not at 0: the y axis runs
    // 0–130 (127 made nice in steps of 10) over 288 down to 16 px.
    const y = (v: number) => 288 - (v / 130) * (288 - 16);
    const [, ty] = marks[0]!.getAttribute('transform')!.match(/,([\d.]+)\)/)!;
    expect(Number(ty)).toBeCloseTo((y(7) + y(8)) / 2, 1);
    // Multiple's Jun 2021 mark (neighbours 9 and 11) would land on Sexual abuse's: it moves up clear of it.
    const yOf = (m: Element) => Number(m.getAttribute('transform')!.match(/,([\d.]+)\)/)![1]);
    expect(Math.abs(yOf(marks[2]!) - yOf(marks[0]!))).toBeGreaterThanOrEqual(18);
    // The end label says c, not 0.
    const labels = [...svg.querySelectorAll('.end-labels text')].map((t) => t.textContent);
    expect(labels).toContain('Sexual abuse c');
  });

  it('leaves room for the longest end label, and writes no text under 11 px', () => {
    // "Emotional abuse 50" printed as "Emotional abuse 5": the margin was a fixed 130 px.
    const svg = categoryLines(data, { ...options, width: 704 });
    const label = [...svg.querySelectorAll('.end-labels text')].find((t) => t.textContent === 'Emotional abuse 50')!;
    // 18 characters of DejaVu Sans Bold at 12 px are about 134 px wide; they must end inside 704.
    expect(Number(label.getAttribute('x')) + 134).toBeLessThanOrEqual(704);
    for (const el of svg.querySelectorAll('[font-size]'))
      expect(Number(el.getAttribute('font-size'))).toBeGreaterThanOrEqual(11);
  });

  it('has no NaN anywhere, also when everything is suppressed or there is no data', () => {
    expectNoBadNumbers(categoryLines(data, options));
    expectNoBadNumbers(
      categoryLines(
        data.map((d) => ({ ...d, value: 'c' })),
        { ...options, title: 'All suppressed' },
      ),
    );
    expectNoBadNumbers(categoryLines([], { ...options, title: 'Empty' }));
    expectIdsResolve(categoryLines(data, options));
  });
});
