import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installationUpnKey, upnKeyPath } from '../../etl/identity/upnKey.ts';
import { formerUpnBreaks1560Q, upnRulesBroken } from '../../etl/identity/upnFormat.ts';
import { loadFiles } from '../../etl/load/loadFiles.ts';
import { Warehouse } from '../../sql/warehouse.ts';
import { tempDir } from '../support/fixtureWarehouse.ts';
import { edited, validCensus } from './validationCensus.fixture.ts';

/**
 * Identity in the CIN census (docs/SECURITY.md "UPNs"): the UPN is checked against the DfE's format
 * rules and hashed under the installation's key while the file is read, and never stored; one child
 * under two LA child ids is found within a file (8510 for a repeated id, 1520 for a shared UPN) and
 * across extracts (1520).
 */
const open: Warehouse[] = [];
afterEach(() => {
  for (const w of open.splice(0)) w.close();
});

async function loadInto(warehouse: Warehouse, dir: string, name: string, xml: string) {
  const path = join(dir, name);
  writeFileSync(path, xml);
  const [result] = await loadFiles(warehouse, [path], { loadedBy: 'test', confirmLa: true });
  return result!;
}

describe('UPN format rules, checked on read', () => {
  it('a well-formed UPN breaks none; each broken part names its rule', () => {
    // P201123456789: digits 201123456789 weighted 2..13 sum to 473; 473 mod 23 = 13, letter P.
    expect(upnRulesBroken('P201123456789')).toEqual([]);
    // The same digits under another check letter.
    expect(upnRulesBroken('A201123456789')).toEqual(['1510']);
    // LA 999 is no LA code; the check letter is right: 999123456789 sums to 546, 546 mod 23 = 17, U.
    expect(upnRulesBroken('U999123456789')).toEqual(['1530']);
    expect(upnRulesBroken('P2011234X6789')).toEqual(['1540']);
    expect(upnRulesBroken('P20112345678I')).toEqual(['1550']);
    // A temporary UPN ends in a letter other than I, O, S: fine for 1550, and 1510 does not apply.
    expect(upnRulesBroken('P20112345678A')).toEqual([]);
    // Lower case is read as upper case.
    expect(upnRulesBroken('p201123456789')).toEqual([]);
  });

  it('1560Q: a former UPN is a letter and twelve digits', () => {
    expect(formerUpnBreaks1560Q('X987654321231')).toBe(false);
    expect(formerUpnBreaks1560Q('X0000y0000007')).toBe(true);
    expect(formerUpnBreaks1560Q('X98721238')).toBe(true);
  });
});

describe('the installation UPN key', () => {
  it('is made once, owner-only, beside the warehouse, and read the same after', () => {
    const dir = tempDir('upn-key');
    const warehousePath = join(dir, 'lscb.duckdb');
    const key = installationUpnKey(warehousePath);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(upnKeyPath(warehousePath)).toBe(`${warehousePath}.upn-key`);
    expect(statSync(`${warehousePath}.upn-key`).mode & 0o777).toBe(0o600);
    expect(installationUpnKey(warehousePath)).toBe(key);
  });

  it('a damaged key file is refused with what to do, never replaced', () => {
    const dir = tempDir('upn-key');
    const warehousePath = join(dir, 'lscb.duckdb');
    writeFileSync(`${warehousePath}.upn-key`, 'not a key\n');
    expect(() => installationUpnKey(warehousePath)).toThrow(/lscb\.duckdb\.upn-key is not a UPN key.*restore it/);
    expect(readFileSync(`${warehousePath}.upn-key`, 'utf8')).toBe('not a key\n');
  });
});

describe('one child under two LA child ids', { timeout: 120_000 }, () => {
  it('8510: a census naming one LA child id on two child records rejects the later with the code', async () => {
    const dir = tempDir('upn-8510');
    const warehouse = await Warehouse.open(join(dir, 'lscb.duckdb'));
    open.push(warehouse);
    const twice = edited(validCensus, [
      '</Children>',
      `<Child><ChildIdentifiers><LAchildID>C1</LAchildID><PersonBirthDate>2016-01-01</PersonBirthDate><Sex>M</Sex></ChildIdentifiers><ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics></Child></Children>`,
    ]);
    const result = await loadInto(warehouse, dir, 'census.xml', twice);
    expect(result.status).toBe('loaded');
    const rejects = await warehouse.query<{ rule: string; reason: string }>(
      `SELECT rule, reason FROM rejects WHERE rule = '8510'`,
    );
    expect(rejects).toHaveLength(1);
    expect(rejects[0]!.reason).toMatch(/duplicate of .* \(DfE rule 8510\)/);
    // The first record stands: C1 born 2015-04-01.
    expect(await warehouse.query(`SELECT birth_date::VARCHAR AS b FROM children`)).toEqual([{ b: '2015-04-01' }]);
    // And C1 has one key: the new ids are numbered before the transaction, when the repeated row is
    // still accepted, so a file that repeats an id must have it numbered once (merge.ts numberNewChildren).
    expect(await warehouse.query(`SELECT count(*)::INTEGER AS keys FROM child_identity`)).toEqual([{ keys: 1 }]);
  });

  it('1520 across extracts: this year’s census names last year’s child again under a new id', async () => {
    const dir = tempDir('upn-1520');
    const warehouse = await Warehouse.open(join(dir, 'lscb.duckdb'));
    open.push(warehouse);
    const lastYear = edited(
      validCensus,
      [
        '<Year>2026</Year><ReferenceDate>2026-03-31</ReferenceDate>',
        '<Year>2025</Year><ReferenceDate>2025-03-31</ReferenceDate>',
      ],
      ['<CINreferralDate>2025-06-01</CINreferralDate>', '<CINreferralDate>2024-06-01</CINreferralDate>'],
      ['<AssessmentActualStartDate>2025-06-02', '<AssessmentActualStartDate>2024-06-02'],
      ['<AssessmentAuthorisationDate>2025-06-20', '<AssessmentAuthorisationDate>2024-06-20'],
      ['<S47ActualStartDate>2025-06-05', '<S47ActualStartDate>2024-06-05'],
      ['<InitialCPCtarget>2025-06-26', '<InitialCPCtarget>2024-06-26'],
      ['<DateOfInitialCPC>2025-06-15', '<DateOfInitialCPC>2024-06-15'],
      ['<CPPstartDate>2025-06-15', '<CPPstartDate>2024-06-15'],
      ['<CPPreviewDate>2025-09-01', '<CPPreviewDate>2024-09-01'],
    );
    expect((await loadInto(warehouse, dir, 'census-2025.xml', lastYear)).status).toBe('loaded');
    expect(await warehouse.query(`SELECT rule FROM validation_flags`)).toEqual([]);

    // The same UPN, now under LA child id C9: the child is flagged in the new load.
    const thisYear = edited(validCensus, ['<LAchildID>C1</LAchildID>', '<LAchildID>C9</LAchildID>']);
    expect((await loadInto(warehouse, dir, 'census-2026.xml', thisYear)).status).toBe('loaded');
    const flagged = await warehouse.query<{ child_id: string }>(
      `SELECT i.la_child_id AS child_id FROM validation_flags f JOIN child_identity i USING (child_key) WHERE f.rule = '1520'`,
    );
    expect(flagged).toEqual([{ child_id: 'C9' }]);

    // Neither the UPN nor any part of it is stored: the warehouse file's bytes do not hold it.
    await warehouse.query('CHECKPOINT');
    expect(readFileSync(join(dir, 'lscb.duckdb')).includes(Buffer.from('201123456789'))).toBe(false);
  });

  it('without the installation key file the UPN’s hash differs, so two installations’ hashes never match', async () => {
    const first = tempDir('upn-a');
    const second = tempDir('upn-b');
    const a = await Warehouse.open(join(first, 'lscb.duckdb'));
    const b = await Warehouse.open(join(second, 'lscb.duckdb'));
    open.push(a, b);
    await loadInto(a, first, 'census.xml', validCensus);
    await loadInto(b, second, 'census.xml', validCensus);
    const [ka] = await a.query<{ upn_key: string }>('SELECT upn_key FROM children');
    const [kb] = await b.query<{ upn_key: string }>('SELECT upn_key FROM children');
    expect(ka!.upn_key).not.toBe(kb!.upn_key);
  });
});
