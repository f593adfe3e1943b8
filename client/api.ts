/**
 * The client's only door to the data: JSON from the server's /api/v1, and Arrow for case lists. It
 * never computes a figure.
 */

// Every shape the API sends is defined once, in the contract the server builds it from.
import type { ChildChronology } from '../metrics/contract/chronology.ts';
import type {
  BoardPack,
  DataExtent,
  Indicator,
  IndicatorBenchmark,
  IndicatorScore,
  Period,
  Scorecard,
  TrendResponse,
} from '../metrics/contract/types.ts';
import type {
  AuditDetail,
  AuditFindings,
  AuditSummary,
  Judgement,
  JudgementAnswers,
  StrataSpec,
} from '../metrics/contract/audits.ts';

export type {
  Benchmarks,
  BenchmarkMeasure,
  BoardPack,
  DataExtent,
  DisproportionalityRow,
  Figure,
  FunnelData,
  MetricsPack,
  Period,
  SpcPoint,
  SpcResult,
  TrendResponse,
} from '../metrics/contract/types.ts';

export interface Session {
  signedIn: boolean;
  username?: string;
  role?: 'board' | 'lead' | 'officer' | 'admin';
  csrfToken?: string;
  mustChangePassword?: boolean;
  demo?: boolean;
  demoLogins?: { username: string; role: string; password: string }[];
  /** Single sign-on is configured: the button's words and where it starts. */
  sso?: { label: string; start: string };
}

let csrfToken: string | undefined;

/** Requests that change something carry the session's CSRF token (server/auth). */
async function send<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) {
    const error = (await response.json().catch(() => ({}))) as { error?: string };
    throw new Error(error.error ?? `${response.status} ${response.statusText}`);
  }
  return (response.status === 204 ? undefined : await response.json()) as T;
}

export class SignInRequired extends Error {}

export interface UploadJob {
  id: string;
  status: 'loading' | 'done' | 'failed';
  files: string[];
  progress: { file: string; bytesRead: number; totalBytes: number } | null;
  error?: string;
  results: {
    file: string;
    status: string;
    format: string;
    rowsRead: number;
    rowsAccepted: number;
    rowsRejected: number;
    rowsMerged: number;
    message?: string;
    /** Refused before loading: nothing of the file was written (server/routes/uploads.ts). */
    refusal?: { reason: 'no reference date' } | { reason: 'other LA'; fileLa: string; warehouseLa: string };
  }[];
  loaded: number;
  failed: number;
  refused: number;
}

/** What the person uploading says of the files: their reference date, and that another LA's files are right. */
export interface UploadOptions {
  referenceDate?: string;
  confirmLa?: boolean;
}

/** Multipart upload of extract files (admins); answers at once with the load job. */
async function uploadFiles(files: File[], options: UploadOptions = {}): Promise<UploadJob> {
  const form = new FormData();
  if (options.referenceDate) form.append('reference_date', options.referenceDate);
  if (options.confirmLa) form.append('confirm_la', '1');
  for (const file of files) form.append('file', file, file.name);
  const response = await fetch('/api/v1/uploads', {
    method: 'POST',
    headers: csrfToken ? { 'X-CSRF-Token': csrfToken } : {},
    body: form,
  });
  const body = (await response.json().catch(() => ({}))) as UploadJob & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `${response.status} ${response.statusText}`);
  return body;
}

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  if (response.status === 401) throw new SignInRequired('sign in to see the figures');
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    throw new Error(body.error ?? `${response.status} ${response.statusText}`);
  }
  return (await response.json()) as T;
}

/** The media type of an Arrow IPC stream (server/arrow). */
const arrowStreamType = 'application/vnd.apache.arrow.stream';

/**
 * A table endpoint as Arrow (server/arrow): several times smaller than its JSON for a long case
 * list. Errors still come as JSON; a server that answers with JSON anyway is read as JSON.
 * apache-arrow is loaded here, on the first case list, not with the page: it would add about 40 kB
 * (gzipped) to the bundle every board member downloads for the pack.
 */
async function getTableRows(path: string): Promise<{ rows: Record<string, unknown>[] }> {
  // Fetched alongside the table; a failure shows when it is awaited, not as an unhandled rejection.
  const decoder = import('./arrowRows.ts');
  void decoder.catch(() => undefined);
  const response = await fetch(path, { headers: { Accept: `${arrowStreamType}, application/json;q=0.5` } });
  if (response.status === 401) throw new SignInRequired('sign in to see the figures');
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    throw new Error(body.error ?? `${response.status} ${response.statusText}`);
  }
  if (!response.headers.get('content-type')?.startsWith(arrowStreamType)) {
    return (await response.json()) as { rows: Record<string, unknown>[] };
  }
  const { rowsFromArrow } = await decoder;
  return { rows: rowsFromArrow(new Uint8Array(await response.arrayBuffer())) };
}

const query = (period: Period) => `from=${encodeURIComponent(period.from)}&to=${encodeURIComponent(period.to)}`;

export const api = {
  session: async () => {
    const session = await getJson<Session>('/api/v1/session');
    csrfToken = session.csrfToken;
    return session;
  },
  signIn: (username: string, password: string) => send<Session>('POST', '/api/v1/session', { username, password }),
  signOut: () => send<void>('DELETE', '/api/v1/session'),
  changePassword: (currentPassword: string, newPassword: string) =>
    send<Session>('PUT', '/api/v1/session/password', { currentPassword, newPassword }),
  upload: uploadFiles,
  /** The DfE CIN census rules over census files, without loading them (etl/validation/dryRun.ts). */
  uploadDryRun: async (files: File[]) => {
    const form = new FormData();
    for (const file of files) form.append('file', file, file.name);
    const response = await fetch('/api/v1/uploads/dry-run', {
      method: 'POST',
      headers: csrfToken ? { 'X-CSRF-Token': csrfToken } : {},
      body: form,
    });
    const body = (await response.json().catch(() => ({}))) as {
      error?: string;
      files: { file: string; status: string; message?: string }[];
      rules: { code: string; kind: string; count: number; message: string }[];
      failed: boolean;
    };
    if (!response.ok) throw new Error(body.error ?? `${response.status} ${response.statusText}`);
    return body;
  },
  uploadJob: (id: string) => getJson<UploadJob>(`/api/v1/uploads/${encodeURIComponent(id)}`),
  chronology: (childId: string) =>
    getJson<ChildChronology>(`/api/v1/children/${encodeURIComponent(childId)}/chronology`),
  quality: () =>
    getJson<{
      loads: Record<string, unknown>[];
      reject_reasons: Record<string, unknown>[];
      impossible_rates?: Record<string, unknown>[];
      /** The lists the server cut at their limit, with the limit. */
      cut_at_limit?: Record<string, number>;
    }>('/api/v1/quality'),
  cases: (figure: string, period: Period) =>
    getTableRows(`/api/v1/cases/${encodeURIComponent(figure)}?${query(period)}`),
  /** Every case list there is (the figures behind which a list stands, splits by their codes). */
  caseLists: () => getJson<{ lists: { figure: string; query: string }[] }>('/api/v1/cases'),
  boardPack: (quarterEnd: string) => getJson<BoardPack>(`/api/v1/board-pack?quarter=${encodeURIComponent(quarterEnd)}`),
  extent: () => getJson<DataExtent>('/api/v1/extent'),
  // Audits (METRICS.md §13): the register and findings for everyone; samples and judgements for officers.
  audits: () => getJson<{ audits: AuditSummary[]; canDraw: boolean; lists: string[] }>('/api/v1/audits'),
  drawAudit: (draw: {
    theme: string;
    figure: string;
    from: string;
    to: string;
    strata: StrataSpec;
    seed?: string;
    lookbackDays: number;
  }) => send<AuditDetail>('POST', '/api/v1/audits', draw),
  audit: (id: number) => getJson<AuditDetail>(`/api/v1/audits/${id}`),
  judgements: (id: number, childKey: number) =>
    getJson<{ history: Judgement[] }>(`/api/v1/audits/${id}/children/${childKey}/judgements`),
  saveJudgement: (
    id: number,
    childKey: number,
    body: { answers: JudgementAnswers; note: string; baseVersion: number },
  ) => send<{ saved: Judgement }>('POST', `/api/v1/audits/${id}/children/${childKey}/judgements`, body),
  closeAudit: (id: number) => send<{ audit: AuditSummary }>('POST', `/api/v1/audits/${id}/close`),
  auditFindings: (id: number) => getJson<AuditFindings>(`/api/v1/audits/${id}/findings`),
  scorecard: (quarterEnd: string) => getJson<Scorecard>(`/api/v1/indicators?quarter=${encodeURIComponent(quarterEnd)}`),
  indicator: (id: number, quarterEnd: string) =>
    getJson<{
      score: IndicatorScore;
      history: Indicator[];
      benchmark: IndicatorBenchmark | null;
      as_at: string;
      canEdit: boolean;
    }>(`/api/v1/indicators/${id}?quarter=${encodeURIComponent(quarterEnd)}`),
  setTarget: (id: number, target: { value: number; date: string } | null) =>
    send<{ indicator: Indicator }>('PUT', `/api/v1/indicators/${id}/target`, { target }),
  addAnnotation: (note: { noted_on: string; body: string; process_change: boolean; figures: string[] }) =>
    send<{ annotation_id: number }>('POST', '/api/v1/annotations', note),
  trend: (figure: string, period: Period, cadence: 'quarter' | 'year' = 'quarter') =>
    getJson<TrendResponse>(`/api/v1/trend?figure=${encodeURIComponent(figure)}&cadence=${cadence}&${query(period)}`),
};
