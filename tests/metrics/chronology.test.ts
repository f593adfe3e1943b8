import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childChronology } from '../../metrics/chronology.ts';
import {
  assessmentFactors,
  closureReasons,
  cpCategories,
  ethnicities,
  primaryNeeds,
  referralSources,
  type CodeList,
} from '../../metrics/contract/codeLabels.ts';
import type { ChildChronology } from '../../metrics/contract/chronology.ts';
import { fixtureWarehouse, type FixtureWarehouse } from '../support/fixtureWarehouse.ts';

/**
 * A child's chronology: events of one day in process order, codes in words, spells and siblings.
 *
 * Child K (family F1, with sibling L; M is in no family):
 *   2023-01-10  early help started (lead agency "Family hub", neglect flag)
 *   2023-06-01  early help ended (stepped_up) ─┐ one day, written in the files in reverse:
 *   2023-06-01  referral, source 3A, need N1    │ the chronology shows early help ending, referral,
 *   2023-06-01  assessment started              │ assessment started, assessment authorised
 *   2023-06-01  assessment authorised, 16A 3B   │ (factors neglect and domestic violence), Section 47,
 *   2023-06-01  Section 47 enquiry started      │ conference, CP plan NEG: process order, not the
 *   2023-06-01  initial conference              │ alphabet and not the file.
 *   2023-06-01  CP plan started, NEG           ─┘
 *   2024-02-01  CP plan ended (latest NEG, 245 days) ─┐ step-down: the plan ends, then the CIN
 *   2024-02-01  CIN plan started                      ─┘ plan starts
 *   2024-08-01  CIN plan ended; 2024-08-01 case closed RC8 (closure after the plan)
 *   2024-09-01  care episode S, C2, N1, U1 (looked after), still open
 */
let fixture: FixtureWarehouse;
let k: ChildChronology;
beforeAll(async () => {
  fixture = await fixtureWarehouse({
    'children.csv': [
      { child_id: 'K', birth_date: '2019-02-02', sex: 'F', ethnicity: 'WBRI', family_id: 'F1' },
      { child_id: 'L', birth_date: '2021-03-03', sex: 'M', ethnicity: 'WBRI', family_id: 'F1' },
      { child_id: 'M', birth_date: '2015-04-04', sex: 'M', ethnicity: 'WBRI' },
    ],
    'early_help.csv': [
      {
        episode_id: 'EH1',
        child_id: 'K',
        start_date: '2023-01-10',
        end_date: '2023-06-01',
        lead_agency: 'Family hub',
        neglect: 'Y',
        closure_reason: 'stepped_up',
      },
    ],
    'cp_plans.csv': [
      {
        plan_id: 'CP1',
        referral_id: 'R1',
        child_id: 'K',
        start_date: '2023-06-01',
        end_date: '2024-02-01',
        initial_category: 'NEG',
        latest_category: 'NEG',
        previous_plans: 0,
      },
    ],
    'section47.csv': [
      { s47_id: 'S1', referral_id: 'R1', child_id: 'K', start_date: '2023-06-01', icpc_date: '2023-06-01' },
    ],
    'assessments.csv': [
      {
        assessment_id: 'A1',
        referral_id: 'R1',
        child_id: 'K',
        start_date: '2023-06-01',
        authorisation_date: '2023-06-01',
        factors: '16A;3B',
      },
    ],
    'cin_plans.csv': [
      { plan_id: 'CIN1', referral_id: 'R1', child_id: 'K', start_date: '2024-02-01', end_date: '2024-08-01' },
    ],
    'referrals.csv': [
      {
        referral_id: 'R1',
        child_id: 'K',
        referral_date: '2023-06-01',
        source: '3A',
        primary_need: 'N1',
        nfa: 'N',
        closure_date: '2024-08-01',
        closure_reason: 'RC8',
      },
      { referral_id: 'R2', child_id: 'M', referral_date: '2024-01-01', source: '2A', nfa: 'Y' },
    ],
    'looked_after.csv': [
      {
        episode_id: 'LA1',
        child_id: 'K',
        start_date: '2024-09-01',
        reason_new_episode: 'S',
        legal_status: 'C2',
        category_of_need: 'N1',
        placement_type: 'U1',
      },
    ],
  });
  k = (await fixture.warehouse.withConnection((c) => childChronology(c, 'K')))!;
});
afterAll(() => fixture.dispose());

describe('the chronology orders one day as the process runs', () => {
  it('puts the referral before its assessment, the conference before the plan', () => {
    expect(k.events.map((e) => `${e.date} ${e.event}`)).toEqual([
      '2023-01-10 Early help started',
      '2023-06-01 Early help ended',
      '2023-06-01 Referral',
      '2023-06-01 Assessment started',
      '2023-06-01 Assessment authorised',
      '2023-06-01 Section 47 enquiry started',
      '2023-06-01 Initial child protection conference',
      '2023-06-01 CP plan started',
      '2024-02-01 CP plan ended',
      '2024-02-01 CIN plan started',
      '2024-08-01 CIN plan ended',
      '2024-08-01 Case closed',
      '2024-09-01 Care episode started',
    ]);
  });

  it('marks the neglect signals of METRICS.md §2, and only them', () => {
    expect(k.events.filter((e) => e.neglect).map((e) => e.event)).toEqual([
      'Early help started',
      'Assessment authorised',
      'CP plan started',
    ]);
  });
});

describe('codes in words', () => {
  const detail = (event: string) => k.events.find((e) => e.event === event)!.detail;

  it('names the referral source and primary need (3A is the GP in the DfE code list)', () => {
    expect(detail('Referral')).toBe('Source: Health services: GP; primary need: Abuse, neglect and exploitation');
  });

  it('names the closure reason, the CP category and the assessment factors', () => {
    expect(detail('Case closed')).toBe('Case closed after assessment, no further action; 427 days open');
    expect(detail('CP plan started')).toBe('Category: Neglect');
    expect(detail('CP plan ended')).toBe('Latest category: Neglect; 245 days');
    expect(detail('Assessment authorised')).toBe(
      'Factors: Neglect, Domestic violence: parent or carer subject; 0 working days from its start',
    );
    expect(detail('Early help started')).toBe('Lead agency: Family hub; shows neglect');
    expect(detail('Early help ended')).toBe("Stepped up to children's social care; 142 days");
  });

  it('names a care episode in SSDA903 words', () => {
    expect(detail('Care episode started')).toBe(
      'Started to be looked after; legal status: Full care order; category of need: Abuse or neglect; placement type U1',
    );
  });

  it('has words for every code the DfE CIN census 2025-26 schema lists', () => {
    const xsd = readFileSync('data/reference/cin-census/CIN_schema_2026.xsd', 'utf8');
    const enumerations = (type: string) => {
      const block = new RegExp(`<xs:simpleType name="${type}">([\\s\\S]*?)</xs:simpleType>`).exec(xsd)![1]!;
      return [...block.matchAll(/<xs:enumeration value="([^"]+)"/g)].map((m) => m[1]!);
    };
    const unnamed = (type: string, list: CodeList) => enumerations(type).filter((code) => !Object.hasOwn(list, code));
    expect(enumerations('referralsourcetype')).toContain('3A');
    expect(unnamed('referralsourcetype', referralSources)).toEqual([]);
    expect(unnamed('reasonforclosuretype', closureReasons)).toEqual([]);
    expect(unnamed('categoryofabusetype', cpCategories)).toEqual([]);
    expect(unnamed('primaryneedcodetype', primaryNeeds)).toEqual([]);
    expect(unnamed('assessmentfactorstype', assessmentFactors)).toEqual([]);
    expect(unnamed('ethnicitytype', ethnicities)).toEqual([]);
    // The DfE's own list: 2A is schools, 3A–3F health services.
    expect(referralSources['2A']).toBe('Schools');
    expect(closureReasons['RC8']).toBe('Case closed after assessment, no further action');
  });
});

describe('spells and siblings', () => {
  it('gives the spells on their lanes, neglect marked, care never called neglect', () => {
    expect(k.spells).toEqual([
      { lane: 'early_help', start: '2023-01-10', end: '2023-06-01', code: null, neglect: true },
      { lane: 'cin', start: '2023-06-01', end: '2024-08-01', code: 'N1', neglect: true },
      { lane: 'cp', start: '2023-06-01', end: '2024-02-01', code: 'NEG', neglect: true },
      { lane: 'looked_after', start: '2024-09-01', end: null, code: 'N1', neglect: false },
    ]);
  });

  it('links the siblings of one family id, and none for a child with no family', async () => {
    expect(k.siblings).toEqual(['L']);
    const m = await fixture.warehouse.withConnection((c) => childChronology(c, 'M'));
    expect(m?.siblings).toEqual([]);
    expect(m?.spells).toEqual([]); // an NFA referral is an event, not a spell of help
    expect(await fixture.warehouse.withConnection((c) => childChronology(c, 'NOBODY'))).toBeNull();
  });
});
