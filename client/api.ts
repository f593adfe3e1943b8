/** The client's only door to the data: JSON from the server's /api/v1. It never computes a figure. */

export interface Period {
  from: string;
  to: string;
}

/** A figure as served: a number, `c` when suppressed for board output, or null when undefined. */
export type Figure = number | 'c' | null;

export interface DisproportionalityRow {
  group: string;
  count: Figure;
  population: number | null;
  rate_per_10k: Figure;
  ci_low: Figure;
  ci_high: Figure;
  ratio: Figure;
  flag: 'higher' | 'lower' | 'similar' | 'c' | null;
}

export interface MetricsPack {
  period: Period;
  population: { year: number | null; children_0_17: number | null; source: string | null };
  prevalence: Record<string, Figure | Record<string, Figure>>;
  repeat: Record<string, Figure>;
  drift: Record<string, Figure | Record<string, Figure>>;
  percentages: Record<string, Figure>;
  disproportionality: Record<string, Record<string, DisproportionalityRow[]>>;
  denominators: Record<string, { year: number; source: string; children: number; note: string }>;
  benchmarks?: Benchmarks;
  suppressed: boolean;
}

export interface BenchmarkMeasure {
  england: number | null;
  region: number | null;
  statistical_neighbours: { mean: number | null; count: number };
  la_published: number | null;
}

export interface Benchmarks {
  year: number;
  region: string | null;
  measures: Record<string, BenchmarkMeasure>;
}

export interface SpcPoint {
  period_to: string;
  value: number | null;
  rules: string[];
  variation: 'common_cause' | 'special_cause_improvement' | 'special_cause_concern' | 'special_cause_neither' | null;
}

export interface SpcResult {
  chart: 'xmr' | 'run';
  centre: number | null;
  limits: { upl: number; lpl: number; upper_2s: number; lower_2s: number; upper_1s: number; lower_1s: number } | null;
  points: SpcPoint[];
}

export interface FunnelData {
  year: number;
  p0: number;
  points: { label: string; numerator: number; denominator: number; highlight?: boolean }[];
  limits: { n: number; lower95: number; upper95: number; lower998: number; upper998: number }[];
}

export interface BoardPack {
  period: Period;
  previousPeriod: Period;
  suppressed: boolean;
  figures: MetricsPack;
  previous: MetricsPack;
  neglectTrend: { figure: string; label: string; points: { period_to: string; value: Figure }[]; spc: SpcResult; reading: string };
  categories: { quarter_end: string; category: string; children: Figure }[];
  benchmarks?: Benchmarks;
  repeatFunnel?: FunnelData;
  quality: { loads: Record<string, unknown>[]; rejectedRows: number; failedLoads: number };
  readings: Record<'headline' | 'continuum' | 'trend' | 'repeat' | 'drift' | 'disproportionality', string>;
  laName?: string;
}

export interface DataExtent {
  first_date: string | null;
  extract_date: string | null;
  latest_quarter_end: string | null;
}

export interface Session {
  signedIn: boolean;
  username?: string;
  role?: 'board' | 'officer' | 'admin';
  csrfToken?: string;
  mustChangePassword?: boolean;
  demo?: boolean;
  demoLogins?: { username: string; role: string; password: string }[];
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
  results: { file: string; status: string; format: string; rowsRead: number; rowsAccepted: number; rowsRejected: number; rowsMerged: number; message?: string }[];
  loaded: number;
  failed: number;
}

/** Multipart upload of extract files (admins); answers at once with the load job. */
async function uploadFiles(files: File[]): Promise<UploadJob> {
  const form = new FormData();
  for (const file of files) form.append('file', file, file.name);
  const response = await fetch('/api/v1/uploads', { method: 'POST', headers: csrfToken ? { 'X-CSRF-Token': csrfToken } : {}, body: form });
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
  uploadJob: (id: string) => getJson<UploadJob>(`/api/v1/uploads/${encodeURIComponent(id)}`),
  chronology: (childId: string) =>
    getJson<{ child: string; events: Record<string, string | null>[] }>(`/api/v1/children/${encodeURIComponent(childId)}/chronology`),
  quality: () => getJson<{ loads: Record<string, unknown>[]; reject_reasons: Record<string, unknown>[] }>('/api/v1/quality'),
  cases: (figure: string, period: Period) =>
    getJson<{ rows: Record<string, unknown>[] }>(`/api/v1/cases/${encodeURIComponent(figure)}?${query(period)}`),
  boardPack: (quarterEnd: string) => getJson<BoardPack>(`/api/v1/board-pack?quarter=${encodeURIComponent(quarterEnd)}`),
  extent: () => getJson<DataExtent>('/api/v1/extent'),
};
