import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type {
  AuditSample,
  AuditSummary,
  Judgement,
  JudgementAnswers,
  SampledChild,
  StrataSpec,
} from '../metrics/contract/audits.ts';
import { judgementFields } from '../metrics/contract/audits.ts';
import { inTransaction, isWriteConflict } from './transaction.ts';
import type { Warehouse } from './warehouse.ts';

/**
 * Audits in the warehouse (sql/schema.sql `audits`, `audit_children`, `audit_judgements`,
 * `audit_closures`): append-only like commentary. Saving a judgement adds its next version; closing
 * adds a row; nothing written is ever changed or removed.
 */

/** A child on a case list, as the audit sample (metrics/auditSample.ts) draws from it. */
export interface ListedChild {
  childKey: number;
  laChildId: string;
  /** Completed years at the as-at date; null when unborn or no birth date. */
  age: number | null;
  sex: string;
  ethnicity: string;
  familyId: string | null;
}

/**
 * The children of a case list, through the very statement the case list runs (already prepared on
 * this connection, periods and all), so whatever the list holds the sample is drawn from. Ages are
 * completed years at the period's end (METRICS.md §1 age_at); unborn or no birth date is null.
 */
export async function caseListChildren(
  c: DuckDBConnection,
  list: { sql: string; params: Record<string, DuckDBValue> },
): Promise<ListedChild[]> {
  const sql = `
    WITH listed AS (SELECT DISTINCT child_key FROM (${list.sql}) AS case_list),
         as_at AS (SELECT max(period_to) AS d FROM periods)
    SELECT l.child_key::INTEGER AS "childKey", i.la_child_id AS "laChildId",
           CASE WHEN ch.birth_date IS NULL OR ch.birth_date > (SELECT d FROM as_at) THEN NULL
                ELSE age_at(ch.birth_date, (SELECT d FROM as_at)) END::INTEGER AS age,
           coalesce(ch.sex, 'unknown') AS sex, ethnicity_group(ch.ethnicity) AS ethnicity,
           nullif(trim(ch.family_id), '') AS "familyId"
    FROM listed l
    JOIN child_identity i USING (child_key)
    LEFT JOIN children ch USING (child_key)
    ORDER BY l.child_key`;
  const reader = await c.runAndReadAll(sql, list.params);
  return reader.getRowObjectsJson() as unknown as ListedChild[];
}

/** Every child in a saved audit's sample, dated by the audit's draw date (the look-back's record). */
export async function auditedChildren(warehouse: Warehouse): Promise<{ childKey: number; drawnOn: string }[]> {
  return warehouse.query(
    `SELECT ac.child_key AS "childKey", strftime(a.drawn_at, '%Y-%m-%d') AS "drawnOn"
     FROM audit_children ac JOIN audits a USING (audit_id)`,
  );
}

const isoTime = (column: string) => `strftime(${column}, '%Y-%m-%dT%H:%M:%SZ')`;
const sqlTime = (when: Date) => when.toISOString().replace('T', ' ').replace('Z', '');

export interface NewAudit {
  theme: string;
  figure: string;
  period: { from: string; to: string };
  strata: StrataSpec;
  seed: string;
  lookbackDays: number;
  drawnBy: string;
  drawnAt: Date;
  sample: AuditSample;
}

/** Saves an audit and its sample in one transaction; returns its id. */
export async function saveAudit(warehouse: Warehouse, audit: NewAudit): Promise<number> {
  const { children, ...draw } = audit.sample;
  return warehouse.withConnection((c) =>
    inTransaction(c, async () => {
      const reader = await c.runAndReadAll(
        `INSERT INTO audits (theme, figure, period_from, period_to, strata, seed, lookback_days, drawn_by, drawn_at, draw)
         VALUES ($theme, $figure, $from::DATE, $to::DATE, $strata, $seed, $lookback::INTEGER, $by, $at::TIMESTAMP, $draw)
         RETURNING audit_id`,
        {
          theme: audit.theme,
          figure: audit.figure,
          from: audit.period.from,
          to: audit.period.to,
          strata: JSON.stringify(audit.strata),
          seed: audit.seed,
          lookback: audit.lookbackDays,
          by: audit.drawnBy,
          at: sqlTime(audit.drawnAt),
          draw: JSON.stringify({ ...draw, strata: draw.strata.map(({ drawn: _drawn, ...s }) => s) }),
        },
      );
      const id = Number(reader.getRowObjectsJson()[0]!['audit_id']);
      for (const child of children) {
        await c.run(
          `INSERT INTO audit_children (audit_id, child_key, stratum, rank, order_key)
           VALUES ($id::INTEGER, $child::INTEGER, $stratum, $rank::INTEGER, $order)`,
          { id, child: child.childKey, stratum: child.stratum, rank: child.rank, order: child.orderKey },
        );
      }
      return id;
    }),
  );
}

interface AuditRow {
  id: number;
  theme: string;
  figure: string;
  period_from: string;
  period_to: string;
  strata: string;
  seed: string;
  lookback_days: number;
  drawn_by: string;
  drawn_at: string;
  closed_by: string | null;
  closed_at: string | null;
  sample_size: number;
  judged: number;
  draw: string;
}

const auditSelect = `
  SELECT a.audit_id AS id, a.theme, a.figure, strftime(a.period_from, '%Y-%m-%d') AS period_from,
         strftime(a.period_to, '%Y-%m-%d') AS period_to, a.strata, a.seed, a.lookback_days, a.drawn_by,
         ${isoTime('a.drawn_at')} AS drawn_at, cl.closed_by, ${isoTime('cl.closed_at')} AS closed_at,
         (SELECT count(*) FROM audit_children ac WHERE ac.audit_id = a.audit_id)::INTEGER AS sample_size,
         (SELECT count(DISTINCT j.child_key) FROM audit_judgements j WHERE j.audit_id = a.audit_id)::INTEGER AS judged,
         a.draw
  FROM audits a LEFT JOIN audit_closures cl USING (audit_id)`;

function summary(row: AuditRow): AuditSummary {
  return {
    id: Number(row.id),
    theme: row.theme,
    figure: row.figure,
    period: { from: row.period_from, to: row.period_to },
    strata: JSON.parse(row.strata) as StrataSpec,
    seed: row.seed,
    lookbackDays: Number(row.lookback_days),
    drawnBy: row.drawn_by,
    drawnAt: row.drawn_at,
    status: row.closed_at ? 'closed' : 'open',
    closedBy: row.closed_by,
    closedAt: row.closed_at,
    sampleSize: Number(row.sample_size),
    judged: Number(row.judged),
  };
}

/** The register, newest first; board members and leads see closed audits only. */
export async function listAudits(warehouse: Warehouse, options: { closedOnly: boolean }): Promise<AuditSummary[]> {
  const rows = await warehouse.query<AuditRow>(
    `${auditSelect} ${options.closedOnly ? 'WHERE cl.closed_at IS NOT NULL' : ''} ORDER BY a.audit_id DESC`,
  );
  return rows.map(summary);
}

export async function auditById(
  warehouse: Warehouse,
  id: number,
): Promise<{ audit: AuditSummary; draw: Omit<AuditSample, 'children'> } | null> {
  const [row] = await warehouse.query<AuditRow>(`${auditSelect} WHERE a.audit_id = $id::INTEGER`, { id });
  if (!row) return null;
  const draw = JSON.parse(row.draw) as Omit<AuditSample, 'children'> & {
    strata: Omit<AuditSample['strata'][number], 'drawn'>[];
  };
  return { audit: summary(row), draw: { ...draw, strata: draw.strata.map((s) => ({ ...s, drawn: [] })) } };
}

interface JudgementRow {
  child_key: number;
  version: number;
  quality: string;
  drift: string;
  missed: string[];
  progress: string;
  tool: string;
  voice: string;
  multi_agency: string;
  step_down: string;
  note: string;
  author: string;
  written_at: string;
}

const answerColumns = judgementFields.map((f) => f.key);

function judgementOf(row: JudgementRow): Judgement {
  const answers: JudgementAnswers = {};
  for (const key of answerColumns) answers[key] = row[key as keyof JudgementRow] as string | string[];
  return {
    childKey: Number(row.child_key),
    version: Number(row.version),
    answers,
    note: row.note,
    author: row.author,
    writtenAt: row.written_at,
  };
}

const latestJudgements = `
  SELECT * FROM audit_judgements WHERE audit_id = $id::INTEGER
  QUALIFY row_number() OVER (PARTITION BY child_key ORDER BY version DESC) = 1`;

/** The sample with each child's LA id and latest judgement (officers and admins only). */
export async function auditSampleChildren(
  warehouse: Warehouse,
  id: number,
): Promise<(SampledChild & { judgement: Judgement | null })[]> {
  const rows = await warehouse.query<{
    child_key: number;
    la_child_id: string;
    stratum: string;
    rank: number;
    order_key: string;
  }>(
    `SELECT ac.child_key, i.la_child_id, ac.stratum, ac.rank, ac.order_key
     FROM audit_children ac JOIN child_identity i USING (child_key)
     WHERE ac.audit_id = $id::INTEGER ORDER BY ac.stratum, ac.rank`,
    { id },
  );
  const judged = await warehouse.query<JudgementRow>(
    `SELECT child_key, version, ${answerColumns.join(', ')}, note, author, ${isoTime('written_at')} AS written_at
     FROM (${latestJudgements})`,
    { id },
  );
  const byChild = new Map(judged.map((j) => [Number(j.child_key), judgementOf(j)]));
  return rows.map((r) => ({
    childKey: Number(r.child_key),
    laChildId: r.la_child_id,
    stratum: r.stratum,
    rank: Number(r.rank),
    orderKey: r.order_key,
    judgement: byChild.get(Number(r.child_key)) ?? null,
  }));
}

/** Every version of one child's judgement, newest first. */
export async function judgementHistory(warehouse: Warehouse, id: number, childKey: number): Promise<Judgement[]> {
  const rows = await warehouse.query<JudgementRow>(
    `SELECT child_key, version, ${answerColumns.join(', ')}, note, author, ${isoTime('written_at')} AS written_at
     FROM audit_judgements WHERE audit_id = $id::INTEGER AND child_key = $child::INTEGER ORDER BY version DESC`,
    { id, child: childKey },
  );
  return rows.map(judgementOf);
}

/** Why a write to an audit was refused: the client's answer is a 409 (or 404) with this message. */
export class AuditRefusal extends Error {
  constructor(
    readonly status: 404 | 409,
    message: string,
    readonly latestVersion?: number,
  ) {
    super(message);
  }
}

async function one(c: DuckDBConnection, sql: string, params: Record<string, DuckDBValue>): Promise<unknown> {
  const reader = await c.runAndReadAll(sql, params);
  const row = reader.getRowObjectsJson()[0];
  return row ? Object.values(row)[0] : undefined;
}

/** Refuses unless the audit exists, is open, and (for a child) has that child in its sample. */
async function assertOpen(c: DuckDBConnection, id: number, childKey?: number): Promise<void> {
  if ((await one(c, 'SELECT count(*)::INTEGER FROM audits WHERE audit_id = $id::INTEGER', { id })) === 0) {
    throw new AuditRefusal(404, `there is no audit ${id}`);
  }
  if ((await one(c, 'SELECT count(*)::INTEGER FROM audit_closures WHERE audit_id = $id::INTEGER', { id })) !== 0) {
    throw new AuditRefusal(409, `audit ${id} is closed: its judgements can be read but no longer changed`);
  }
  if (childKey === undefined) return;
  const inSample = await one(
    c,
    'SELECT count(*)::INTEGER FROM audit_children WHERE audit_id = $id::INTEGER AND child_key = $child::INTEGER',
    { id, child: childKey },
  );
  if (inSample === 0) throw new AuditRefusal(404, `that child is not in audit ${id}'s sample`);
}

/**
 * Adds the next version of a child's judgement while the audit is open. `baseVersion` is the version
 * the officer's form started from (0 for none): if someone has saved since, the save is refused
 * rather than silently replacing their judgement.
 */
export async function addJudgement(
  warehouse: Warehouse,
  entry: {
    auditId: number;
    childKey: number;
    answers: JudgementAnswers;
    note: string;
    author: string;
    baseVersion: number;
    now?: Date;
  },
): Promise<Judgement> {
  const writtenAt = entry.now ?? new Date();
  return warehouse.withConnection(async (c) => {
    try {
      return await inTransaction(c, async () => {
        await assertOpen(c, entry.auditId, entry.childKey);
        const latest = Number(
          await one(
            c,
            `SELECT coalesce(max(version), 0)::INTEGER FROM audit_judgements
             WHERE audit_id = $id::INTEGER AND child_key = $child::INTEGER`,
            { id: entry.auditId, child: entry.childKey },
          ),
        );
        if (latest !== entry.baseVersion) {
          throw new AuditRefusal(
            409,
            `this judgement has been changed since you opened it (now version ${latest}); reload it and make your edit again`,
            latest,
          );
        }
        const params: Record<string, DuckDBValue> = {
          id: entry.auditId,
          child: entry.childKey,
          version: latest + 1,
          note: entry.note,
          author: entry.author,
          at: sqlTime(writtenAt),
        };
        for (const field of judgementFields) {
          const value = entry.answers[field.key];
          // A list goes in as JSON text and comes out as VARCHAR[]: no list binding needed.
          params[field.key] = field.kind === 'many' ? JSON.stringify(value ?? []) : String(value);
        }
        const values = judgementFields
          .map((f) => (f.kind === 'many' ? `CAST(json($${f.key}) AS VARCHAR[])` : `$${f.key}`))
          .join(', ');
        await c.run(
          `INSERT INTO audit_judgements (audit_id, child_key, version, ${answerColumns.join(', ')}, note, author, written_at)
           VALUES ($id::INTEGER, $child::INTEGER, $version::INTEGER, ${values}, $note, $author, $at::TIMESTAMP)`,
          params,
        );
        return {
          childKey: entry.childKey,
          version: latest + 1,
          answers: entry.answers,
          note: entry.note,
          author: entry.author,
          writtenAt: `${writtenAt.toISOString().slice(0, 19)}Z`,
        };
      });
    } catch (err) {
      if (!(err instanceof AuditRefusal) && isWriteConflict(err)) {
        throw new AuditRefusal(
          409,
          'someone saved this judgement at the same moment; reload it',
          entry.baseVersion + 1,
        );
      }
      throw err;
    }
  });
}

/** Closes an open audit once every sampled child has a judgement; its judgements are then read-only. */
export async function closeAudit(warehouse: Warehouse, id: number, by: string, now = new Date()): Promise<void> {
  await warehouse.withConnection(async (c) => {
    try {
      await inTransaction(c, async () => {
        await assertOpen(c, id);
        const unjudged = Number(
          await one(
            c,
            `SELECT count(*)::INTEGER FROM audit_children ac WHERE ac.audit_id = $id::INTEGER
             AND NOT EXISTS (SELECT 1 FROM audit_judgements j WHERE j.audit_id = ac.audit_id AND j.child_key = ac.child_key)`,
            { id },
          ),
        );
        if (unjudged > 0) {
          throw new AuditRefusal(
            409,
            `${unjudged} ${unjudged === 1 ? 'child has' : 'children have'} no judgement yet: judge every child before closing`,
          );
        }
        await c.run(
          'INSERT INTO audit_closures (audit_id, closed_by, closed_at) VALUES ($id::INTEGER, $by, $at::TIMESTAMP)',
          { id, by, at: sqlTime(now) },
        );
      });
    } catch (err) {
      if (!(err instanceof AuditRefusal) && isWriteConflict(err)) {
        throw new AuditRefusal(409, `audit ${id} is closed already`);
      }
      throw err;
    }
  });
}

/** The latest judgements' answers, as SQL rows the findings count (metrics/auditFindings.ts). */
export const latestJudgementsSql = latestJudgements;
