import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { Warehouse, defaultWarehousePath } from '../../sql/warehouse.ts';
import { addAnnotation } from '../../metrics/annotations.ts';
import type { IndicatorRef } from '../../metrics/contract/types.ts';
import {
  baselineOf,
  ensureIndicators,
  latestQuarterEnd,
  partnerPacks,
  quarterPacks,
  seriesOf,
  strategyScorecard,
} from '../../metrics/indicatorScores.ts';
import {
  addIndicator,
  editIndicator,
  IndicatorError,
  indicatorById,
  newIndicatorProblem,
  type NewIndicator,
} from '../../metrics/indicators.ts';
import { oneDecimalText } from '../../metrics/numberText.ts';
import { isoDate, parseFlags, UsageError, type Command } from './command.ts';
import { textTable } from './textTable.ts';

const help = `Usage: lscb indicators <action> [options]

The neglect strategy's success indicators (docs/METRICS.md §13 "Indicators and targets"), for
scripted set-up. Every change adds a version naming who made it (cli:<your login>) and when; nothing
is overwritten. A fresh warehouse starts with Blackburn with Darwen's seven indicators, no targets.

Actions:
  list [--quarter D] [--json]            every indicator at the quarter (default: the latest complete one):
                                         figure, latest value, baseline, target, status, MDC readings
  add --title T --figure PATH --better up|down --owner O --rationale R [--group G]
                                         a new indicator; its baseline is the latest quarter's value.
                                         --figure is a figure path (repeat.cp_starts_repeat_neglect);
                                         with --group, one group of a split (strategy.eh_starts_by_lead_agency
                                         --group school); --partner MEASURE --agency A for a partner measure
  set-target ID --value V --date D       set the target (or --clear to remove it)
  annotate --date D --text T [--process-change] [--indicator ID]... [--figure PATH]...
                                         a note of practice; with --process-change, the SPC limits of the
                                         indicators and figures named are recalculated from D

Options:
  --db FILE     warehouse file (default ${defaultWarehousePath}); stop 'lscb serve' first`;

const author = () => `cli:${userInfo().username}`;

export const command: Command = {
  name: 'indicators',
  summary: "List, add and set targets for the neglect strategy's indicators; record notes of practice",
  help,
  async run(argv) {
    const { values, positionals } = parseFlags('indicators', argv, {
      db: { type: 'string' },
      quarter: { type: 'string' },
      json: { type: 'boolean', default: false },
      title: { type: 'string' },
      figure: { type: 'string', multiple: true },
      group: { type: 'string' },
      partner: { type: 'string' },
      agency: { type: 'string' },
      better: { type: 'string' },
      owner: { type: 'string' },
      rationale: { type: 'string' },
      value: { type: 'string' },
      date: { type: 'string' },
      clear: { type: 'boolean', default: false },
      text: { type: 'string' },
      'process-change': { type: 'boolean', default: false },
      indicator: { type: 'string', multiple: true },
    });
    const [action, ...rest] = positionals;
    if (!action || !['list', 'add', 'set-target', 'annotate'].includes(action)) {
      throw new UsageError(`lscb indicators: say list, add, set-target or annotate. Try 'lscb indicators --help'.`);
    }
    const dbPath = values.db ?? defaultWarehousePath;
    if (!existsSync(dbPath)) throw new UsageError(`lscb indicators: no warehouse at ${dbPath}. Run 'lscb demo' first.`);
    const warehouse = await Warehouse.open(dbPath);
    try {
      await ensureIndicators(warehouse);
      if (action === 'list') {
        const to = isoDate('indicators', 'quarter', values.quarter) ?? (await latestQuarterEnd(warehouse));
        if (!to) throw new UsageError('lscb indicators: the warehouse has no loaded data.');
        const card = await strategyScorecard(warehouse, to, { suppress: false });
        if (values.json) {
          console.log(JSON.stringify(card, null, 2));
          return 0;
        }
        const show = (v: unknown) => (typeof v === 'number' ? oneDecimalText(v) : String(v ?? '–'));
        console.log(`Indicators at ${to} (unsuppressed):`);
        console.log(
          textTable(
            card.indicators.map(({ indicator: i, latest, unavailable }) => ({
              id: i.id,
              indicator: i.title,
              follows: i.series,
              latest: latest ? `${show(latest.value)} (${latest.period_to})` : '–',
              baseline: i.baseline ? `${show(i.baseline.value)} (${i.baseline.to})` : '–',
              target: i.target ? `${show(i.target.value)} by ${i.target.date}` : '–',
              status: latest?.status ?? '–',
              variation: latest?.variation ?? '–',
              assurance: latest?.assurance ?? '–',
              // Why an indicator has no latest value: a sentence, so last, where it is never cut.
              note: latest ? '' : (unavailable ?? ''),
            })),
          ),
        );
        return 0;
      }
      if (action === 'add') {
        const ref: IndicatorRef = values.partner
          ? { kind: 'partner', figure: values.partner, group: values.agency ?? '' }
          : values.group
            ? { kind: 'split_group', figure: values.figure?.[0] ?? '', group: values.group }
            : { kind: 'figure', figure: values.figure?.[0] ?? '' };
        const input = {
          title: values.title,
          ref,
          better: values.better,
          owner: values.owner,
          rationale: values.rationale,
        };
        const problem = newIndicatorProblem(input);
        if (problem) throw new UsageError(`lscb indicators add: ${problem.replaceAll("'", '--').replace('ref.', '')}.`);
        const to = await latestQuarterEnd(warehouse);
        const baseline = to
          ? await warehouse.withConnection(async (c) =>
              baselineOf(
                seriesOf(
                  ref.kind === 'partner'
                    ? await partnerPacks(c, ref, to, false)
                    : await quarterPacks(warehouse, to, false, [ref]),
                  ref,
                ),
              ),
            )
          : null;
        const id = await warehouse.withConnection((c) => addIndicator(c, input as NewIndicator, baseline, author()));
        console.log(
          `Added indicator ${id}: ${input.title} (${baseline ? `baseline ${baseline.value} at ${baseline.to}` : 'no baseline yet: no value'}).`,
        );
        return 0;
      }
      if (action === 'set-target') {
        const id = Number(rest[0]);
        if (!Number.isInteger(id) || id < 1) throw new UsageError('lscb indicators set-target: give the indicator id.');
        const target = values.clear
          ? null
          : { value: Number(values.value), date: isoDate('indicators', 'date', values.date) ?? '' };
        if (target && (values.value === undefined || !Number.isFinite(target.value) || !target.date)) {
          throw new UsageError('lscb indicators set-target: give --value V and --date YYYY-MM-DD, or --clear.');
        }
        try {
          const saved = await warehouse.withConnection((c) => editIndicator(c, id, { target }, author()));
          console.log(`Indicator ${id} version ${saved.version}: ${saved.change}.`);
        } catch (err) {
          if (err instanceof IndicatorError) throw new UsageError(`lscb indicators set-target: ${err.message}.`);
          throw err;
        }
        return 0;
      }
      // annotate
      const date = isoDate('indicators', 'date', values.date);
      if (!date || !values.text?.trim()) {
        throw new UsageError('lscb indicators annotate: give --date YYYY-MM-DD and --text "what happened".');
      }
      const figures = [...(values.figure ?? [])];
      for (const raw of values.indicator ?? []) {
        const indicator = await warehouse.withConnection((c) => indicatorById(c, Number(raw)));
        if (!indicator) throw new UsageError(`lscb indicators annotate: no indicator ${raw}.`);
        figures.push(indicator.series);
      }
      if (values['process-change'] && figures.length === 0) {
        throw new UsageError('lscb indicators annotate: a process change names --indicator ID or --figure PATH.');
      }
      const id = await warehouse.withConnection((c) =>
        addAnnotation(c, {
          notedOn: date,
          body: values.text!.trim(),
          processChange: values['process-change'],
          figures,
          author: author(),
        }),
      );
      console.log(
        `Added note ${id} on ${date}${values['process-change'] ? `, a change in the process for ${figures.join(', ')}` : ''}.`,
      );
      return 0;
    } finally {
      warehouse.close();
    }
  },
};
