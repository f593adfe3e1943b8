import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareSnapshot } from './snapshot.ts';

/** The snapshot helper itself: a snapshot test that cannot fail in CI is no test. */
describe('compareSnapshot', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lscb-snapshot-'));
    file = join(dir, '__snapshots__', 'chart.svg');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('in CI, fails on a missing snapshot, says how to create it, and writes nothing', () => {
    for (const ci of ['true', '1']) {
      expect(() => compareSnapshot('<svg/>\n', file, { CI: ci })).toThrow(
        'chart.svg has no snapshot, and CI does not write one. Create it with `UPDATE_SNAPSHOTS=1 npx vitest run tests/charts`',
      );
    }
    expect(existsSync(file)).toBe(false);
  });

  it('outside CI, writes a missing snapshot (a new chart test records its first one)', () => {
    for (const env of [{}, { CI: 'false' }, { CI: '' }]) {
      rmSync(file, { force: true });
      expect(compareSnapshot('<svg/>\n', file, env)).toBe('written');
      expect(readFileSync(file, 'utf8')).toBe('<svg/>\n');
    }
  });

  it('with UPDATE_SNAPSHOTS=1 writes, in CI too', () => {
    expect(compareSnapshot('<svg>1</svg>\n', file, { CI: 'true', UPDATE_SNAPSHOTS: '1' })).toBe('written');
    expect(compareSnapshot('<svg>2</svg>\n', file, { CI: 'true', UPDATE_SNAPSHOTS: '1' })).toBe('written');
    expect(readFileSync(file, 'utf8')).toBe('<svg>2</svg>\n');
  });

  it('compares an existing snapshot exactly, in CI and out, and never rewrites it on a difference', () => {
    compareSnapshot('<svg/>\n', file, {});
    for (const env of [{}, { CI: 'true' }]) {
      expect(compareSnapshot('<svg/>\n', file, env)).toBe('matched');
      expect(() => compareSnapshot('<svg />\n', file, env)).toThrow('chart.svg differs from its snapshot');
    }
    expect(readFileSync(file, 'utf8')).toBe('<svg/>\n');
  });
});
