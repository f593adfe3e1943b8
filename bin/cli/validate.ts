import { unloadablePaths } from '../../etl/load/loadFiles.ts';
import { validateCensusFiles } from '../../etl/validation/dryRun.ts';
import { parseFlags, UsageError, type Command } from './command.ts';
import { textTable } from './textTable.ts';

export const command: Command = {
  name: 'validate',
  summary: 'Check CIN census files against the DfE rules without loading them',
  help: `Usage: lscb validate [--json] [--all] FILE...

Runs the DfE CIN census validation rules (etl/validation/cinCensusRules.sql) over census files
without loading them: the files are read into a temporary warehouse, checked and thrown away. Prints
a table by rule code (code, kind, count, message) of the rules broken; --all lists every rule.

A reject rule is a record that cannot be true on its own (a load rejects it); a flag rule is a
contradiction between records of one child (a load keeps and flags them).

Options:
  --json    print the report as JSON
  --all     list every rule, broken or not

Exit status: 0 when no reject rule fails, 1 when any does (or a file cannot be read as a census),
2 for a usage error.`,
  async run(argv) {
    const { values, positionals } = parseFlags('validate', argv, {
      json: { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
    });
    if (positionals.length === 0)
      throw new UsageError("lscb validate: name at least one census file. Try 'lscb validate --help'.");
    const problems = unloadablePaths(positionals);
    if (problems.length > 0) {
      for (const problem of problems) console.error(`lscb validate: ${problem}`);
      return 1;
    }
    const report = await validateCensusFiles(positionals);
    if (values.json) {
      console.log(JSON.stringify(report, null, 2));
    } else {
      for (const file of report.files)
        console.log(`${file.file}: ${file.status}${file.message ? ` (${file.message})` : ''}`);
      const shown = values.all ? report.rules : report.rules.filter((r) => r.count > 0);
      console.log(shown.length === 0 ? '\nNo rule broken.' : `\n${textTable(shown.map((r) => ({ ...r })))}`);
    }
    return report.failed ? 1 : 0;
  },
};
