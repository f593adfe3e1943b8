import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../support/chromium.ts';
import { smallDemoWarehouse } from '../support/demoWarehouse.ts';
import { runCli, type CliResult } from '../support/runCli.ts';

// Issue 17: `lscb report` fails with one line saying what failed and a non-zero exit, never a stack
// trace; and it shows its steps on stderr when asked.
const variables = ['CHROMIUM_PATH', 'LSCB_PROGRESS', 'LSCB_REPORT_TIMEOUT_SECONDS'] as const;
const saved = Object.fromEntries(variables.map((name) => [name, process.env[name]]));
afterEach(() => {
  for (const name of variables) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

/** One line, naming the command, with no stack frames. */
function expectOneLine(result: CliResult, says: RegExp): void {
  expect(result.status).not.toBe(0);
  expect(result.status).not.toBeNull(); // ended by itself, not killed by runCli's timer
  const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^lscb report: /);
  expect(lines[0]).toMatch(says);
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

describe('lscb report fails in one line', () => {
  let dbPath: string;
  let dir: string;
  beforeAll(async () => {
    const demo = await smallDemoWarehouse();
    demo.warehouse.close(); // the report is another process
    ({ dbPath, dir } = demo);
  }, 300_000);

  it('a warehouse that does not exist', async () => {
    const result = await runCli(['report', '--db', join(dir, 'nowhere.duckdb'), '--pdf', join(dir, 'x.pdf')]);
    expectOneLine(result, /no warehouse at .*nowhere\.duckdb/);
  });

  it('a bad cap', async () => {
    process.env['LSCB_REPORT_TIMEOUT_SECONDS'] = 'soon';
    const result = await runCli(['report', '--db', dbPath, '--pdf', join(dir, 'x.pdf')], { timeoutMs: 240_000 });
    expectOneLine(result, /LSCB_REPORT_TIMEOUT_SECONDS must be a number of seconds above 0, not "soon"/);
  }, 300_000);

  it('a quarter with no data, named before Chromium starts', async () => {
    process.env['LSCB_PROGRESS'] = '1';
    const pdf = join(dir, 'empty.pdf');
    const result = await runCli(
      ['report', '--db', dbPath, '--from', '2000-01-01', '--to', '2000-03-31', '--pdf', pdf],
      {
        timeoutMs: 240_000,
      },
    );
    const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
    // The progress line, then the failure.
    expect(lines[0]).toMatch(/^lscb report: building the board pack for 2000-01-01 to 2000-03-31…/);
    expectOneLine({ ...result, stderr: lines.slice(1).join('\n') }, /the board pack could not be built \(400\): .+/);
    expect(result.stderr).not.toMatch(/rendering/);
    expect(existsSync(pdf)).toBe(false);
  }, 300_000);

  it('a Chromium that cannot start', async () => {
    process.env['CHROMIUM_PATH'] = join(dir, 'no-chromium-here');
    const pdf = join(dir, 'nochromium.pdf');
    const result = await runCli(
      ['report', '--db', dbPath, '--from', '2026-01-01', '--to', '2026-03-31', '--pdf', pdf],
      {
        timeoutMs: 280_000,
      },
    );
    expectOneLine(result, /Chromium could not start \(.*no-chromium-here; set CHROMIUM_PATH\): .+/);
    expect(existsSync(pdf)).toBe(false);
  }, 300_000);

  it.skipIf(!hasChromium)(
    'with progress asked for, the steps of a good report, then nothing else on stderr',
    async () => {
      process.env['LSCB_PROGRESS'] = '1';
      const pdf = join(dir, 'pack.pdf');
      const result = await runCli(
        ['report', '--db', dbPath, '--from', '2026-01-01', '--to', '2026-03-31', '--pdf', pdf],
        {
          timeoutMs: 280_000,
        },
      );
      expect(result.status, result.stderr).toBe(0);
      expect(
        result.stderr
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => line.replace(/ \(\d+ s\)$/, '')),
      ).toEqual([
        'lscb report: building the board pack for 2026-01-01 to 2026-03-31…',
        'lscb report: rendering the pages in Chromium…',
        'lscb report: printing the PDF…',
      ]);
      expect(existsSync(pdf)).toBe(true);
    },
    300_000,
  );
});
