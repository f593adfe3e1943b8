/**
 * How `lscb report` fails: one line saying what failed, never a stack trace (issue 17). Chromium's,
 * Playwright's and DuckDB's messages run to many lines (call logs, SQL, frames); the first line says
 * what happened, and LSCB_DEBUG=1 shows the rest.
 */
export class ReportFailure extends Error {
  override name = 'ReportFailure';
}

/** An error's first line of message, whitespace collapsed. */
export function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const line = message.split('\n').find((l) => l.trim() !== '') ?? 'unknown error';
  return line.replace(/\s+/g, ' ').trim();
}

/**
 * The report's own server logs what goes wrong inside it with console.error (a stack trace, rightly,
 * for `lscb serve`). While a report runs, that server is the report's private business: its errors
 * are kept, and the report's one line names the first. With LSCB_DEBUG=1 they print as they come.
 */
export function holdServerErrors(): { first(): string | undefined; release(): void } {
  const original = console.error;
  const held: string[] = [];
  if (process.env['LSCB_DEBUG'] !== '1') console.error = (...args: unknown[]) => held.push(firstLine(args[0]));
  return {
    first: () => held[0],
    release: () => {
      console.error = original;
    },
  };
}

/**
 * What the report says when it fails: the error's first line, and what the report's server logged
 * first when that says more than a status code. LSCB_DEBUG=1 keeps the original error and its stack.
 */
export function reportFailure(err: unknown, serverSaid: string | undefined): unknown {
  if (process.env['LSCB_DEBUG'] === '1') return err;
  const line = firstLine(err);
  return new ReportFailure(serverSaid && !line.includes(serverSaid) ? `${line} (the server: ${serverSaid})` : line);
}
