import type { DuckDBConnection } from '@duckdb/node-api';
import type { Annotation } from './contract/types.ts';

/**
 * Annotations as they stand: each one's latest version, unless that version withdrew it. The strategy
 * lead's page (issue 12) writes them; the board pack reads them to mark its trend and, for a change
 * in the process, to recalculate SPC limits from it (METRICS.md §13 "SPC limits").
 */
const current = `
  SELECT annotation_id, strftime(noted_on, '%Y-%m-%d') AS noted_on, body, process_change, figures
  FROM annotations
  QUALIFY version = max(version) OVER (PARTITION BY annotation_id) AND NOT withdrawn`;

/** Notes dated within [from, to], oldest first, for a trend's markers and table. */
export async function annotationsBetween(c: DuckDBConnection, from: string, to: string): Promise<Annotation[]> {
  const reader = await c.runAndReadAll(
    `SELECT * FROM (${current}) WHERE noted_on::DATE BETWEEN $from::DATE AND $to::DATE ORDER BY noted_on, annotation_id`,
    { from, to },
  );
  return reader.getRowObjectsJson().map((row) => ({
    noted_on: row['noted_on'] as string,
    body: row['body'] as string,
    process_change: row['process_change'] as boolean,
    figures: row['figures'] as string[],
  }));
}

/** Dates of the recorded changes in the process for one figure, oldest first. */
export async function processChangesFor(c: DuckDBConnection, figure: string): Promise<string[]> {
  const reader = await c.runAndReadAll(
    `SELECT noted_on FROM (${current}) WHERE process_change AND list_contains(figures, $figure) ORDER BY noted_on`,
    { figure },
  );
  return reader.getRowObjectsJson().map((row) => row['noted_on'] as string);
}

/** Records a new annotation (version 1) and returns its id. */
export async function addAnnotation(
  c: DuckDBConnection,
  note: { notedOn: string; body: string; processChange: boolean; figures: string[]; author: string },
): Promise<number> {
  const reader = await c.runAndReadAll(
    `INSERT INTO annotations
     SELECT coalesce(max(annotation_id), 0) + 1, 1, $noted_on::DATE, $body, $process_change, list_filter(string_split($figures, chr(10)), f -> f <> ''), false,
            $author, now()::TIMESTAMP
     FROM annotations
     RETURNING annotation_id`,
    {
      noted_on: note.notedOn,
      body: note.body,
      process_change: note.processChange,
      figures: note.figures.join('\n'),
      author: note.author,
    },
  );
  return Number(reader.getRowObjectsJson()[0]?.['annotation_id']);
}
