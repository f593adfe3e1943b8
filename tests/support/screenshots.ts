/**
 * `npm run screenshots`: the pictures in the README, from the demo warehouse (data/lscb.duckdb, made
 * by `npm start` or `lscb demo`): the pack at 1366×768 and at 768 px (a tablet), the sign-in page, and printed pages of the
 * PDF pack (pdftoppm). Run it after a visible change and commit docs/screenshots/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { createApp } from '../../server/app.ts';
import { ensureDemoUsers } from '../../server/auth/index.ts';
import { listen } from '../../server/listen.ts';
import { launchChromium, renderPackPdf } from '../../report/pdf.ts';
import { defaultWarehousePath, projectRoot, Warehouse } from '../../sql/warehouse.ts';

const out = join(projectRoot, 'docs/screenshots');
mkdirSync(out, { recursive: true });
await build({ root: join(projectRoot, 'client'), configFile: join(projectRoot, 'vite.config.ts'), logLevel: 'warn' });
const warehouse = await Warehouse.open(process.argv[2] ?? defaultWarehousePath);
await ensureDemoUsers(warehouse);
const { server, url } = await listen(createApp({ warehouse, auth: { demo: true } }), '127.0.0.1', 0);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'en-GB' });
  await page.goto(url);
  await page.waitForSelector('body[data-ready="signin"]');
  await page.screenshot({ path: join(out, 'sign-in.png') });
  await page.fill('#username', 'board');
  await page.fill('#password', 'demo-board');
  await page.click('form.sign-in button[type="submit"]');
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  await page.screenshot({ path: join(out, 'board-pack.png') });
  // A board member's iPad: the same pack at 768 px wide.
  await page.setViewportSize({ width: 768, height: 1024 });
  await page.screenshot({ path: join(out, 'board-pack-768.png') });
  await page.setViewportSize({ width: 1366, height: 768 });
  const cookie = (await page.context().cookies()).find((c) => c.name === 'lscb_session')!;
  const pdf = await renderPackPdf({
    url: `${url}?quarter=${await page.locator('#quarter').inputValue()}`,
    cookie: { name: cookie.name, value: cookie.value },
  });
  const pdfPath = join(out, 'board-pack.pdf');
  writeFileSync(pdfPath, pdf);
  for (const n of [1, 3, 7]) {
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '60',
      '-f',
      String(n),
      '-l',
      String(n),
      '-singlefile',
      pdfPath,
      join(out, `board-pack-print-${n}`),
    ]);
  }
  // The strategy lead's scorecard and one indicator's page (README "For strategy leads").
  const lead = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'en-GB' });
  await lead.goto(url);
  await lead.waitForSelector('body[data-ready="signin"]');
  await lead.fill('#username', 'lead');
  await lead.fill('#password', 'demo-lead');
  await lead.click('form.sign-in button[type="submit"]');
  await lead.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
  await lead.screenshot({ path: join(out, 'strategy.png') });
  await lead.click('table.scorecard tbody tr:nth-child(2) th a');
  await lead.waitForSelector('#target-form');
  await lead.locator('figure').first().scrollIntoViewIfNeeded();
  await lead.screenshot({ path: join(out, 'strategy-indicator.png') });
  console.log(`Wrote screenshots to ${out}`);
} finally {
  await browser.close();
  server.closeAllConnections();
  server.close();
  warehouse.close();
}
