import type { Warehouse } from '../../sql/warehouse.ts';

export const warehouseTables = [
  'children',
  'early_help',
  'referrals',
  'assessments',
  'section47',
  'cin_plans',
  'cp_plans',
  'looked_after',
] as const;

/** Row counts of every canonical warehouse table (and identities, rejects and loads). */
export async function tableCounts(warehouse: Warehouse): Promise<Record<string, number>> {
  const tables = [...warehouseTables, 'child_identity', 'rejects', 'loads', 'population'];
  const sql = tables.map((t) => `SELECT '${t}' AS t, count(*)::INTEGER AS n FROM ${t}`).join(' UNION ALL ');
  const rows = await warehouse.query<{ t: string; n: number }>(sql);
  return Object.fromEntries(rows.map((r) => [r.t, r.n]));
}

/** A content fingerprint of the canonical tables, to show a failed load changed nothing. */
export async function warehouseFingerprint(warehouse: Warehouse): Promise<string> {
  const parts: string[] = [];
  for (const table of [...warehouseTables, 'child_identity', 'population']) {
    const [row] = await warehouse.query<{ h: string }>(
      `SELECT coalesce(sum(hash(t::VARCHAR)::HUGEINT), 0)::VARCHAR || ':' || count(*)::VARCHAR AS h FROM ${table} t`,
    );
    parts.push(`${table}=${row?.h}`);
  }
  return parts.join(' ');
}
