import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build, type Rollup } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../sql/warehouse.ts';
import { hasChromium, launchChromium } from '../support/chromium.ts';

/**
 * Issue 10: "No label is ever clipped, at any width from 768 px up; charts never shrink text below
 * 11 px." jsdom cannot measure text, so every chart of client/charts/ is drawn in Chromium with the
 * board page's own stylesheet and font, from data shaped like the demo's (tests/browser/fixtures/
 * chartGallery.ts: "Child in need (not on a plan)", "Emotional abuse 50", suppressed values), at the
 * board page's content width for windows 768, 1024 and 1366 px wide, and also at each chart's default
 * width scaled down by the page's CSS. For every visible <text>: its getBBox, mapped into its SVG's
 * user space, must lie inside the viewBox (the SVG clips what lies outside), and its rendered size
 * (computed font-size × the SVG's scale on screen) must be 11 px or more.
 */

interface Problem {
  chart: string;
  text: string;
  issue: string;
}

/** Problems in the charts whose class includes `only`, or every chart except `except`. */
async function problems(page: Page, which: { only?: string; except?: string }): Promise<Problem[]> {
  return page.evaluate(({ only, except }) => {
    const found: { chart: string; text: string; issue: string }[] = [];
    for (const svg of document.querySelectorAll<SVGSVGElement>('svg')) {
      if (svg.parentElement?.closest('svg')) continue;
      const kind = svg.getAttribute('class') ?? '';
      if ((only && !kind.includes(only)) || (except && kind.includes(except))) continue;
      const vb = svg.viewBox.baseVal;
      const rootCtm = svg.getScreenCTM();
      if (!rootCtm) continue;
      const toUser = rootCtm.inverse();
      const chart = svg.querySelector('title')?.textContent ?? svg.getAttribute('class') ?? 'svg';
      for (const text of svg.querySelectorAll<SVGTextElement>('text')) {
        const content = text.textContent?.trim() ?? '';
        if (!content || text.closest('[visibility="hidden"]') || getComputedStyle(text).visibility === 'hidden')
          continue;
        const box = text.getBBox();
        const ctm = text.getScreenCTM()!;
        const corners = [
          [box.x, box.y],
          [box.x + box.width, box.y],
          [box.x, box.y + box.height],
          [box.x + box.width, box.y + box.height],
        ].map(([x, y]) => new DOMPoint(x, y).matrixTransform(ctm).matrixTransform(toUser));
        const xs = corners.map((p) => p.x);
        const ys = corners.map((p) => p.y);
        const tolerance = 0.5;
        if (
          Math.min(...xs) < vb.x - tolerance ||
          Math.max(...xs) > vb.x + vb.width + tolerance ||
          Math.min(...ys) < vb.y - tolerance ||
          Math.max(...ys) > vb.y + vb.height + tolerance
        ) {
          found.push({
            chart,
            text: content,
            issue: `outside the viewBox: x ${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)} of ${vb.width}, y ${Math.min(...ys).toFixed(1)}–${Math.max(...ys).toFixed(1)} of ${vb.height}`,
          });
        }
        const rendered = parseFloat(getComputedStyle(text).fontSize) * Math.hypot(ctm.a, ctm.b);
        if (rendered < 11 - 0.01) found.push({ chart, text: content, issue: `rendered at ${rendered.toFixed(2)} px` });
      }
    }
    return found;
  }, which);
}

describe.skipIf(!hasChromium)('chart labels in Chromium (issue 10: none clipped, none under 11 px)', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // Vite (the client's own bundler) makes one script of the gallery and the chart modules.
    const built = (await build({
      configFile: false,
      logLevel: 'silent',
      build: {
        write: false,
        minify: false,
        lib: {
          entry: join(projectRoot, 'tests/browser/fixtures/chartGallery.ts'),
          formats: ['iife'],
          name: 'chartGallery',
        },
      },
    })) as Rollup.RollupOutput | Rollup.RollupOutput[];
    const script = (Array.isArray(built) ? built[0]! : built).output[0].code;
    const css = readFileSync(join(projectRoot, 'client/styles.css'), 'utf8');
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    // Nothing is fetched: the stylesheet and the bundle are inlined.
    await page.route('**/*', (route) => route.abort());
    await page.setContent(
      `<!doctype html><html lang="en"><head><style>${css}</style></head>` +
        `<body><main><div id="charts"></div></main></body></html>`,
    );
    await page.addScriptTag({ content: script });
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const viewport of [768, 1024, 1366]) {
    it(`at ${viewport} px: every chart at the page's content width keeps its text inside and at 11 px or more`, async () => {
      await page.setViewportSize({ width: viewport, height: 900 });
      const width = await page.evaluate(() => document.getElementById('charts')!.clientWidth);
      // main's padding and 72rem cap (client/styles.css) leave a little less than the window.
      expect(width).toBeGreaterThan(Math.min(viewport, 1152) - 80);
      expect(width).toBeLessThanOrEqual(viewport);
      await page.evaluate((w) => (window as unknown as { drawCharts(w?: number): void }).drawCharts(w), width);
      expect(await page.locator('svg').count()).toBe(10);
      expect(await problems(page, { except: 'spc-chart' })).toEqual([]);
    });

    it(`at ${viewport} px: every chart at its default width, scaled by the page's CSS, does too`, async () => {
      await page.setViewportSize({ width: viewport, height: 900 });
      await page.evaluate(() => (window as unknown as { drawCharts(w?: number): void }).drawCharts(undefined));
      expect(await problems(page, { except: 'spc-chart' })).toEqual([]);
    });
  }

  // The SPC chart is checked on its own so its owner sees its result apart from the others'.
  for (const viewport of [768, 1024, 1366]) {
    it(`at ${viewport} px: the SPC chart keeps its text inside and at 11 px or more`, async () => {
      await page.setViewportSize({ width: viewport, height: 900 });
      const width = await page.evaluate(() => document.getElementById('charts')!.clientWidth);
      await page.evaluate((w) => (window as unknown as { drawCharts(w?: number): void }).drawCharts(w), width);
      expect(await problems(page, { only: 'spc-chart' })).toEqual([]);
      await page.evaluate(() => (window as unknown as { drawCharts(w?: number): void }).drawCharts(undefined));
      expect(await problems(page, { only: 'spc-chart' })).toEqual([]);
    });
  }
});
