import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Warehouse, defaultWarehousePath } from '../../sql/warehouse.ts';
import { createApp } from '../../server/app.ts';
import { buildClientIfStale } from '../../report/clientBuild.ts';
import { listen } from '../../server/listen.ts';
import { calendar } from '../../metrics/calendar.ts';
import type { Period } from '../../metrics/figures.ts';
import { metricsRegistry } from '../../metrics/registry.ts';
import { renderPackPdf } from '../../report/pdf.ts';
import { holdServerErrors, reportFailure } from '../../report/failure.ts';
import { deadlineIn, reportTimeoutSeconds, waitForPackData } from '../../report/packData.ts';
import { reportProgress } from '../../report/progress.ts';
import { reportCredentials } from '../../report/reportUser.ts';
import { sessionCookieName } from '../../server/auth/sessions.ts';
import { isoDate, parseFlags, UsageError, type Command } from './command.ts';

export const command: Command = {
  name: 'report',
  summary: 'Write the quarterly board pack as a PDF',
  help: `Usage: lscb report --pdf FILE [--strategy] [--from YYYY-MM-DD --to YYYY-MM-DD] [--db FILE]

Renders the board pack for a quarter in headless Chromium (/usr/bin/chromium) and writes a tagged,
A4 PDF with an outline of its sections, the OFFICIAL-SENSITIVE marking and page numbers.
The pack is always board output: counts of 1–5 and everything built on them are shown as c.
Without dates: the latest complete quarter of the data. The period must be a calendar quarter.

With --strategy, writes the annual neglect strategy review instead: each success indicator's
reporting year to the quarter against its baseline and target, with its chart and the notes of
practice of the year, one bookmark per indicator (docs/METRICS.md §13).

Options:
  --pdf FILE    where to write the PDF (written whole, then moved into place)
  --strategy    the annual strategy review instead of the quarter's board pack
  --from DATE   first day of the quarter
  --to DATE     last day of the quarter
  --db FILE     warehouse file (default ${defaultWarehousePath}); must not be open in 'lscb serve'

It waits as long as the pack takes to build, up to LSCB_REPORT_TIMEOUT_SECONDS (default an hour),
and shows its steps on stderr at a terminal (or with LSCB_PROGRESS=1). A failure is one line on
stderr and a non-zero exit; LSCB_DEBUG=1 shows the whole error.`,
  async run(argv) {
    const { values } = parseFlags('report', argv, {
      pdf: { type: 'string' },
      strategy: { type: 'boolean', default: false },
      from: { type: 'string' },
      to: { type: 'string' },
      db: { type: 'string' },
    });
    if (!values.pdf)
      throw new UsageError("lscb report: say where to write the PDF with --pdf FILE. Try 'lscb report --help'.");
    const dbPath = values.db ?? defaultWarehousePath;
    if (!existsSync(dbPath))
      throw new UsageError(`lscb report: no warehouse at ${dbPath}. Run 'lscb demo' or 'lscb load' first.`);
    const from = isoDate('report', 'from', values.from);
    const to = isoDate('report', 'to', values.to);
    // A period given is checked before the page is built and the warehouse opened.
    if (to) calendarQuarter(from, to);
    // A page built before the last update would print last version's pack.
    if (await buildClientIfStale()) console.log('Built the page (it was missing or older than its sources).');
    // Waits as long as the data needs, up to a generous cap; steps on stderr; a failure is one line.
    const deadline = deadlineIn(reportTimeoutSeconds());
    const progress = reportProgress();
    const warehouse = await Warehouse.open(dbPath);
    const serverErrors = holdServerErrors();
    const { server, url } = await listen(createApp({ warehouse }), '127.0.0.1', 0);
    try {
      const quarterEnd =
        to ??
        ((await warehouse.withConnection((c) => metricsRegistry().runOne(c, 'data_extent')))['latest_quarter_end'] as
          string | null);
      if (!quarterEnd) throw new UsageError('lscb report: the warehouse has no loaded data.');
      const quarter = calendarQuarter(from, quarterEnd);
      const cookie = await signIn(url, await reportCredentials(warehouse));
      if (!values.strategy) {
        progress(`building the board pack for ${quarter.from} to ${quarter.to}`);
        await waitForPackData(url, cookie, quarter.to, deadline);
      }
      const pdf = await renderPackPdf({
        ...(values.strategy
          ? { url: `${url}?quarter=${quarter.to}#strategy-review`, cookie, documentTitle: 'Neglect strategy review' }
          : { url: `${url}?quarter=${quarter.to}`, cookie }),
        deadline,
        progress,
      });
      const target = resolve(values.pdf);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(`${target}.tmp`, pdf, { mode: 0o600 });
      renameSync(`${target}.tmp`, target);
      console.log(
        `Wrote the ${values.strategy ? 'strategy review' : 'board pack'} for ${quarter.from} to ${quarter.to} to ${target} (${Math.round(pdf.length / 1024)} KB).`,
      );
      return 0;
    } catch (err) {
      throw err instanceof UsageError ? err : reportFailure(err, serverErrors.first());
    } finally {
      serverErrors.release();
      server.closeAllConnections();
      server.close();
      warehouse.close();
    }
  },
};

/** Signs in over HTTP as any browser would, and hands the session cookie to Chromium. */
async function signIn(
  url: string,
  credentials: { username: string; password: string },
): Promise<{ name: string; value: string }> {
  const response = await fetch(new URL('/api/v1/session', url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  const setCookie = response.headers.getSetCookie().find((c) => c.startsWith(`${sessionCookieName}=`));
  if (!response.ok || !setCookie) throw new Error(`the report could not sign in (${response.status})`);
  const value = setCookie.split(';')[0]!.slice(sessionCookieName.length + 1);
  return { name: sessionCookieName, value };
}

/** The calendar quarter ending `to` (and starting `from`, when given); a usage error for any other period. */
function calendarQuarter(from: string | undefined, to: string): Period {
  const quarter = calendar('quarter', to, to)[0];
  if (quarter && (!from || from === quarter.from)) return quarter;
  const example = '(e.g. --from 2026-01-01 --to 2026-03-31)';
  throw new UsageError(
    from
      ? `lscb report: the pack covers a calendar quarter; --from ${from} --to ${to} is not one ${example}.`
      : `lscb report: the pack covers a calendar quarter; --to ${to} is not the last day of one (31 Mar, 30 Jun, 30 Sep or 31 Dec).`,
  );
}
