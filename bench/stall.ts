import { Warehouse } from '../sql/warehouse.ts';
import { createApp } from '../server/app.ts';
import { ensureDemoUsers } from '../server/auth/index.ts';
import { listen } from '../server/listen.ts';

/**
 * Issue 15, "Requests that stall the server": while four far-future requests and four 20-year trends
 * run, over and over, how long does a quick request (`/api/v1/extent`) take? Before the change a
 * `to=9999-12-31` held the event loop for 2–3.5 s, and four of them made a 0.01 s request take 11 s.
 */
export interface StallBench {
  seconds: number;
  extentRequests: number;
  p50: number;
  p95: number;
  max: number;
  farFuture: { requests: number; statuses: string };
  longTrends: { requests: number; meanMs: number };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function signIn(url: string): Promise<string> {
  const response = await fetch(new URL('/api/v1/session', url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: url.replace(/\/$/, '') },
    body: JSON.stringify({ username: 'officer', password: 'demo-officer' }),
  });
  return response.headers.get('set-cookie')?.split(';')[0] ?? '';
}

export async function benchStall(dbPath: string, seconds = 20): Promise<StallBench> {
  const warehouse = await Warehouse.open(dbPath);
  await ensureDemoUsers(warehouse);
  const { server, url } = await listen(createApp({ warehouse }), '127.0.0.1', 0);
  const cookie = await signIn(url);
  const get = async (path: string) => {
    const response = await fetch(new URL(path, url), { headers: { cookie } });
    await response.arrayBuffer();
    return response.status;
  };
  const deadline = Date.now() + seconds * 1000;
  const statuses = new Map<number, number>();
  let farFuture = 0;
  const trendTimes: number[] = [];
  // Each trend asks for another figure, so none is served from the cache: 80 quarters computed each time.
  const figures = [
    'repeat.cp_starts',
    'prevalence.cp_open',
    'repeat.referrals',
    'drift.icpcs',
    'prevalence.eh_children',
  ];
  let trendIndex = 0;
  try {
    const attackers = [
      ...Array.from({ length: 4 }, async () => {
        while (Date.now() < deadline) {
          const status = await get('/api/v1/metrics?from=2026-01-01&to=9999-12-31');
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          farFuture += 1;
        }
      }),
      ...Array.from({ length: 4 }, async () => {
        while (Date.now() < deadline) {
          const figure = figures[trendIndex++ % figures.length]!;
          const t = performance.now();
          await get(
            `/api/v1/trend?figure=${figure}&improvement=${trendIndex % 2 ? 'up' : 'down'}&from=2006-04-01&to=2026-03-31`,
          );
          trendTimes.push(performance.now() - t);
        }
      }),
    ];
    const latencies: number[] = [];
    const prober = (async () => {
      while (Date.now() < deadline) {
        const t = performance.now();
        await get('/api/v1/extent');
        latencies.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await Promise.all([...attackers, prober]);
    latencies.sort((a, b) => a - b);
    return {
      seconds,
      extentRequests: latencies.length,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      max: latencies[latencies.length - 1]!,
      farFuture: { requests: farFuture, statuses: [...statuses].map(([s, n]) => `${n}× ${s}`).join(', ') },
      longTrends: {
        requests: trendTimes.length,
        meanMs: trendTimes.reduce((a, b) => a + b, 0) / Math.max(1, trendTimes.length),
      },
    };
  } finally {
    server.closeAllConnections();
    server.close();
    warehouse.close();
  }
}

export function printStall(b: StallBench): void {
  console.log(
    `\nServer under heavy requests (${b.seconds} s): /api/v1/extent p50 ${b.p50.toFixed(1)} ms, ` +
      `p95 ${b.p95.toFixed(1)} ms (target < 100), max ${b.max.toFixed(1)} ms over ${b.extentRequests} requests, ` +
      `while 4 clients sent ${b.farFuture.requests} far-future requests (${b.farFuture.statuses}) and 4 clients ` +
      `${b.longTrends.requests} 20-year trends (mean ${b.longTrends.meanMs.toFixed(0)} ms each)`,
  );
}
