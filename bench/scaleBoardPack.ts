// The board pack steps of `npm run bench -- scale`, each in its own process so nothing is warm:
// `node bin/run-ts.js bench/scaleBoardPack.ts DB MODE`, for the quarter 2026-01-01..2026-03-31,
// board output. Prints one JSON line.
//   cold        builds the pack (buildBoardPack) through the server's ResultCache, as GET /board-pack
//               does on a cache miss with no pack precomputed (the per-quarter facts the load kept
//               are read), then asks the cache for the same key again: { coldSeconds, cachedSeconds }.
//   previous    builds the previous quarter's pack (2025-10-01..2025-12-31) the same way, from
//               the facts the load kept for the quarters before the latest: { previousSeconds }.
//   records     forgets every kept per-quarter fact, then builds the pack: every figure computed
//               from the records, as the first pack after a load is: { recordsSeconds }. Run on a copy.
//   forget      forgets every kept per-quarter fact, for a figure from the records: {}. Run on a copy.
//   precompute  what `lscb load` does after loading (metrics/precomputed.ts): the latest quarter's
//               pack and scorecard, board and officer output, stored: { precomputeSeconds, quarterEnd }.
//   stored      a fresh process reading the precomputed pack, as the server after a restart or
//               `lscb report` does: { storedSeconds }. Fails if the pack was not stored.
import { Warehouse } from '../sql/warehouse.ts';
import { ResultCache } from '../server/http/resultCache.ts';
import { boardPackCacheKey } from '../server/routes/boardPack.ts';
import { buildBoardPack } from '../metrics/boardPack.ts';
import { boardPackOf, precomputeLatestQuarter } from '../metrics/precomputed.ts';

const [dbPath, mode = 'cold'] = process.argv.slice(2);
if (!dbPath) throw new Error('usage: scaleBoardPack.ts DB_PATH [cold|previous|records|forget|precompute|stored]');

const quarter = { from: '2026-01-01', to: '2026-03-31' };
const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

// Writable, as the server opens it.
const warehouse = await Warehouse.open(dbPath);
try {
  if (mode === 'cold') {
    const cache = new ResultCache(warehouse);
    const key = boardPackCacheKey(quarter.to, true);
    let coldSeconds = NaN;
    const build = async () => {
      const started = process.hrtime.bigint();
      const pack = await buildBoardPack(warehouse, quarter, { suppress: true });
      coldSeconds = seconds(started);
      return pack;
    };
    await cache.get(key, build);
    const asked = process.hrtime.bigint();
    await cache.get(key, build);
    console.log(JSON.stringify({ coldSeconds, cachedSeconds: seconds(asked) }));
  } else if (mode === 'previous') {
    const started = process.hrtime.bigint();
    await buildBoardPack(warehouse, { from: '2025-10-01', to: '2025-12-31' }, { suppress: true });
    console.log(JSON.stringify({ previousSeconds: seconds(started) }));
  } else if (mode === 'records' || mode === 'forget') {
    await warehouse.query('DELETE FROM period_results');
    if (mode === 'forget') console.log('{}');
    else {
      const started = process.hrtime.bigint();
      await buildBoardPack(warehouse, quarter, { suppress: true });
      console.log(JSON.stringify({ recordsSeconds: seconds(started) }));
    }
  } else if (mode === 'precompute') {
    const started = process.hrtime.bigint();
    const quarterEnd = await precomputeLatestQuarter(warehouse);
    console.log(JSON.stringify({ precomputeSeconds: seconds(started), quarterEnd }));
  } else if (mode === 'stored') {
    const started = process.hrtime.bigint();
    await boardPackOf(warehouse, quarter, { suppress: true }, () => {
      throw new Error('the pack was not precomputed: it would be computed now');
    });
    console.log(JSON.stringify({ storedSeconds: seconds(started) }));
  } else throw new Error(`unknown mode ${mode}`);
} finally {
  warehouse.close();
}
