import { Warehouse } from '../sql/warehouse.ts';
import { createApp } from '../server/app.ts';
import { ensureDemoUsers } from '../server/auth/index.ts';
import { listen } from '../server/listen.ts';
import { fmt } from './support/measure.ts';

export interface ServerBench {
  users: number;
  seconds: number;
  requests: number;
  errors: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * A bounded load test on loopback: `users` concurrent clients, each requesting the board endpoints
 * in turn for `seconds` (and at most `maxRequests` in all), against the real app on 127.0.0.1.
 * `signIn` returns the cookie header a board user's requests carry (the app requires a session).
 */
export async function benchServer(
  dbPath: string,
  options: {
    users?: number;
    seconds?: number;
    maxRequests?: number;
    signIn?: (url: string) => Promise<string | undefined>;
    quarter?: string;
  } = {},
): Promise<ServerBench> {
  const users = options.users ?? 20;
  const seconds = options.seconds ?? 10;
  const maxRequests = options.maxRequests ?? 20_000;
  const quarter = options.quarter ?? '2026-03-31';
  const warehouse = await Warehouse.open(dbPath);
  await ensureDemoUsers(warehouse);
  const { server, url } = await listen(createApp({ warehouse }), '127.0.0.1', 0);
  try {
    const cookie = options.signIn ? await options.signIn(url) : undefined;
    const paths = [
      `/api/v1/board-pack?quarter=${quarter}`,
      `/api/v1/metrics?from=2026-01-01&to=${quarter}`,
      `/api/v1/trend?figure=prevalence.cp_open_neglect_initial&from=2021-04-01&to=${quarter}`,
      `/api/v1/series/cp_open_by_initial_category?from=2021-04-01&to=${quarter}`,
      '/api/v1/extent',
    ];
    const latencies: number[] = [];
    let errors = 0;
    let issued = 0;
    const deadline = Date.now() + seconds * 1000;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: users }, async (_, user) => {
        for (let i = user; Date.now() < deadline && issued < maxRequests; i++) {
          issued += 1;
          const t = process.hrtime.bigint();
          try {
            const response = await fetch(new URL(paths[i % paths.length]!, url), { headers: cookie ? { cookie } : {} });
            await response.arrayBuffer();
            if (!response.ok) errors += 1;
          } catch {
            errors += 1;
          }
          latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
        }
      }),
    );
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    latencies.sort((a, b) => a - b);
    return {
      users,
      seconds: elapsed,
      requests: latencies.length,
      errors,
      throughput: latencies.length / elapsed,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
    };
  } finally {
    server.closeAllConnections();
    server.close();
    warehouse.close();
  }
}

export function printServer(b: ServerBench, label: string): void {
  console.log(
    `\nServer, ${label}: ${b.users} concurrent users for ${fmt.s(b.seconds)}: ${b.requests} requests, ` +
      `${b.throughput.toFixed(0)} req/s, latency p50 ${b.p50.toFixed(1)} ms, p95 ${b.p95.toFixed(1)} ms (target < 100), ` +
      `p99 ${b.p99.toFixed(1)} ms, errors ${b.errors} (target 0)`,
  );
}
