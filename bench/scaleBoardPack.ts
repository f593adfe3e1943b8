// The board pack step of `npm run bench -- scale`, in its own process so the first build is cold:
// `node bin/run-ts.js bench/scaleBoardPack.ts DB`. It builds the board output's pack for the
// quarter 2026-01-01..2026-03-31 through the server's ResultCache, as GET /board-pack does, then
// asks the cache for the same key again. Prints one JSON line: the cold build and the cached answer.
import { Warehouse } from '../sql/warehouse.ts';
import { ResultCache } from '../server/http/resultCache.ts';
import { boardPackCacheKey } from '../server/routes/boardPack.ts';
import { buildBoardPack } from '../metrics/boardPack.ts';

const [dbPath] = process.argv.slice(2);
if (!dbPath) throw new Error('usage: scaleBoardPack.ts DB_PATH');

const quarter = { from: '2026-01-01', to: '2026-03-31' };
const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

// Writable, as the server opens it.
const warehouse = await Warehouse.open(dbPath);
try {
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
  const cachedSeconds = seconds(asked);
  console.log(JSON.stringify({ coldSeconds, cachedSeconds }));
} finally {
  warehouse.close();
}
