import { get } from 'node:http';
import { ReportFailure } from './failure.ts';

/**
 * Asks the report's server for the quarter's board pack and waits for it as long as building it
 * takes (up to the report's overall deadline). The server keeps the answer in its cache, so the
 * page Chromium opens next gets it at once: the page's readiness no longer races a fixed timeout
 * against a national warehouse's pack (issue 17). node:http sets no timeout of its own, unlike
 * fetch's five-minute header timeout.
 */
export function waitForPackData(
  baseUrl: string,
  cookie: { name: string; value: string },
  quarterEnd: string,
  deadline: number,
): Promise<void> {
  const url = new URL(`/api/v1/board-pack?quarter=${encodeURIComponent(quarterEnd)}`, baseUrl);
  return new Promise((resolve, reject) => {
    const request = get(url, { headers: { Cookie: `${cookie.name}=${cookie.value}` } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        clearTimeout(timer);
        if (response.statusCode === 200) return resolve();
        const body = Buffer.concat(chunks).toString('utf8');
        let said: string | undefined;
        try {
          said = (JSON.parse(body) as { error?: string }).error;
        } catch {
          said = undefined;
        }
        reject(
          new ReportFailure(`the board pack could not be built (${response.statusCode}): ${said ?? 'no reason given'}`),
        );
      });
    });
    const timer = setTimeout(
      () => {
        request.destroy();
        reject(new ReportFailure(overDeadline('building the board pack', deadline)));
      },
      Math.max(0, deadline - Date.now()),
    );
    request.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** The report's cap: LSCB_REPORT_TIMEOUT_SECONDS, or an hour (a national pack takes minutes, not hours). */
export const reportTimeoutVariable = 'LSCB_REPORT_TIMEOUT_SECONDS';
export const defaultReportTimeoutSeconds = 3600;

export function reportTimeoutSeconds(): number {
  const text = process.env[reportTimeoutVariable];
  if (text === undefined || text.trim() === '') return defaultReportTimeoutSeconds;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new ReportFailure(`${reportTimeoutVariable} must be a number of seconds above 0, not "${text}"`);
  return seconds;
}

let startedAt = Date.now();
/** The deadline `seconds` from now, remembered so the failure can say how long was waited. */
export function deadlineIn(seconds: number): number {
  startedAt = Date.now();
  return startedAt + seconds * 1000;
}

export function overDeadline(what: string, deadline: number): string {
  const seconds = Math.round((deadline - startedAt) / 1000);
  return `${what} took longer than the report's ${seconds} s cap (set ${reportTimeoutVariable} to wait longer)`;
}
