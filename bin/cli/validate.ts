import { unloadablePaths } from '../../etl/load/loadFiles.ts';
import { validateCensusFiles } from '../../etl/validation/dryRun.ts';
import { parseFlags, UsageError, type Command } from './command.ts';
import { textTable } from './textTable.ts';

export const command: Command = {
  name: 'validate',
  summary: 'Check CIN census files against the DfE rules without loading them',
  help: `Usage: lscb validate [--json] [--all] [--records] FILE...

Runs the DfE CIN census validation rules (etl/validation/cinCensusRules.sql) over census files
without loading them: the files are read into a temporary warehouse, checked and thrown away. Prints
a table by rule code (code, kind, count, message) of the rules broken; --all lists every rule.

A reject rule is a record that cannot be true on its own (a load rejects it); a flag rule is a
contradiction between records of one child (a load keeps and flags them).

Options:
  --json     print the report as JSON
  --all      list every rule, broken or not
  --records  list each rejected row (file, place in the file: child and XML line, field, value) and
             each flagged record (file, LA child id, record), with its rule and message. Files are
             loaded in turn, as a load would: a flag names the file whose load last worked out that
             child's flags

Exit status: 0 when no reject rule fails, 1 when any does (or a file cannot be read as a census),
2 for a usage error.`,
  async run(argv) {
    const { values, positionals } = parseFlags('validate', argv, {
      json: { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
      records: { type: 'boolean', default: false },
    });
    if (positionals.length === 0)
      throw new UsageError("lscb validate: name at least one census file. Try 'lscb validate --help'.");
    const problems = unloadablePaths(positionals);
    if (problems.length > 0) {
      for (const problem of problems) console.error(`lscb validate: ${problem}`);
      return 1;
    }
    const report = await validateCensusFiles(positionals, { records: values.records });
    if (values.json) {
      console.log(JSON.stringify(report, null, 2));
    } else {
      for (const file of report.files)
        console.log(`${file.file}: ${file.status}${file.message ? ` (${file.message})` : ''}`);
      const shown = values.all ? report.rules : report.rules.filter((r) => r.count > 0);
      console.log(shown.length === 0 ? '\nNo rule broken.' : `\n${textTable(shown.map((r) => ({ ...r })))}`);
      if (report.records)
        console.log(`\nrecords\n${textTable(report.records.map(recordLine), { last: 'message', whole: ['where'] })}`);
    }
    return report.failed ? 1 : 0;
  },
};

/** A record of the validation report as the terminal shows it: what an officer needs to find it in the file. */
function recordLine(record: Record<string, unknown>): Record<string, unknown> {
  const { kind, rule, file, row, la_child_id, record_table, field, value, message } = record;
  return {
    rule,
    kind,
    file,
    where: row ?? `child ${String(la_child_id)}, ${String(record_table)}`,
    field,
    value,
    message,
  };
}
