import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { projectRoot } from '../../sql/warehouse.ts';

/**
 * Element names the DfE CIN census schemas define (the bundled 2024–2026 XSDs), plus the names
 * earlier years used. An element outside this set breaks the schema and is reported, not ignored.
 */
const schemaDir = resolve(projectRoot, 'data/reference/cin-census');
const olderNames = ['GenderCurrent', 'GenderBirth', 'ReasonForClosure', 'DateOfInitialCPC'];

let names: Set<string> | undefined;
export function cinCensusElementNames(): Set<string> {
  if (!names) {
    names = new Set(olderNames);
    for (const file of readdirSync(schemaDir).filter((f) => f.endsWith('.xsd'))) {
      for (const match of readFileSync(resolve(schemaDir, file), 'utf8').matchAll(
        /<xs:element name="([A-Za-z0-9_]+)"/g,
      )) {
        names.add(match[1]!);
      }
    }
  }
  return names;
}
