import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../metrics/contract/csv.ts';
import { cpOpenFixture } from '../metrics/cpOpen.fixture.ts';
import type { Browser } from '../support/authApp.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';
import { parseCsv } from '../support/csv.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

// tests/metrics/cpOpen.fixture.ts: at 2025-03-31 cp_open is 5 (board output: c).
let fixture: FixtureWarehouse;
let server: TestServer;
let board: Browser;
let officer: Browser;
beforeAll(async () => {
  fixture = await fixtureWarehouse(cpOpenFixture);
  server = await startTestServer({ warehouse: fixture.warehouse });
  [board, officer] = await Promise.all([server.as('board'), server.as('officer')]);
});
afterAll(async () => {
  await server.close();
  fixture.dispose();
});

describe('GET /api/v1/board-pack.csv', () => {
  it('gives board members one row per figure, with c exactly where the pack has c, and is logged with its row count', async () => {
    const reply = await board.get('/api/v1/board-pack.csv?quarter=2025-03-31');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(reply.headers.get('content-disposition')).toBe('attachment; filename="board-pack-2025-03-31-board.csv"');
    const [header, ...rows] = parseCsv(reply.text);
    expect(header).toEqual(['figure', 'value', 'period_from', 'period_to']);
    const at = (figure: string, to: string) => rows.find((r) => r[0] === figure && r[3] === to);
    expect(at('prevalence.cp_open', '2025-03-31')).toEqual(['prevalence.cp_open', 'c', '2025-01-01', '2025-03-31']);
    expect(at('prevalence.cp_open_rate_per_10k', '2025-03-31')?.[1]).toBe('c');
    expect(at('prevalence.cp_open_neglect_initial', '2024-12-31')).toEqual([
      'prevalence.cp_open_neglect_initial',
      'c',
      '2024-10-01',
      '2024-12-31',
    ]);
    expect(new Set(rows.map((r) => `${r[0]}|${r[3]}`)).size).toBe(rows.length); // one row per figure and period

    // Every figure of the JSON pack, the same value.
    const pack = (await board.get('/api/v1/board-pack?quarter=2025-03-31')).body as any;
    for (const [family, figures] of Object.entries(pack.figures as Record<string, unknown>)) {
      if (!['prevalence', 'repeat', 'percentages'].includes(family)) continue;
      for (const [name, value] of Object.entries(figures as Record<string, unknown>)) {
        if (typeof value === 'object' && value !== null) continue;
        expect(at(`${family}.${name}`, '2025-03-31')?.[1], `${family}.${name}`).toBe(
          value === null ? '' : String(value),
        );
      }
    }
    const [logged] = await fixture.warehouse.query<{
      username: string;
      status: number;
      rows_returned: number;
      sensitivity: string;
    }>(
      `SELECT username, status, rows_returned, sensitivity FROM access_log WHERE path = '/api/v1/board-pack.csv' ORDER BY id LIMIT 1`,
    );
    expect(logged).toEqual({ username: 'board', status: 200, rows_returned: rows.length, sensitivity: 'aggregate' });
  });

  it('gives officers the unsuppressed values', async () => {
    const reply = await officer.get('/api/v1/board-pack.csv?quarter=2025-03-31');
    const rows = parseCsv(reply.text);
    expect(rows.find((r) => r[0] === 'prevalence.cp_open' && r[3] === '2025-03-31')?.[1]).toBe('5');
    expect(reply.headers.get('content-disposition')).toContain('unsuppressed');
  });

  it('refuses a date that is not a quarter end, and anyone not signed in', async () => {
    expect((await board.get('/api/v1/board-pack.csv?quarter=2025-03-30')).status).toBe(400);
    const anonymous = await fetch(new URL('/api/v1/board-pack.csv?quarter=2025-03-31', server.url));
    expect(anonymous.status).toBe(401);
  });
});

describe('GET /api/v1/board-pack: whose pack and its summary', () => {
  it('names the partnership and the LA, and sums up board output in words with no ISO date and no suppressed value', async () => {
    const pack = (await board.get('/api/v1/board-pack?quarter=2025-03-31')).body as any;
    expect(pack.partnership).toEqual({
      name: 'Northbury Safeguarding Children Partnership',
      la_name: 'Northbury',
      la_code: '990',
    });
    const sentences: string[] = [...pack.summary.changes, ...pack.summary.signals, ...pack.summary.outsideRange];
    expect(sentences.length).toBeGreaterThanOrEqual(3);
    const text = sentences.join(' ');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}|[a-z]+_[a-z0-9_]+/);
    // cp_open is 5 at 2025-03-31 and c in board output: the summary may not give its value.
    expect(text).not.toMatch(/child protection plan (rose|fell) from \d+ to 5\b/);
    expect(text).toContain('too small to publish');
  });
});

describe('CSV cells', () => {
  it('neutralises what a spreadsheet would run as a formula, but keeps numbers numbers', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('+1+1')).toBe("'+1+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('-1.5')).toBe('-1.5');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell('c')).toBe('c');
    expect(csvCell('1,234')).toBe('"1,234"');
    expect(csvCell(null)).toBe('');
    expect(
      toCsv([
        ['a', 'b'],
        ['1', '=2'],
      ]),
    ).toBe("a,b\r\n1,'=2\r\n");
  });
});
