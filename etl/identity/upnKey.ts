import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../../sql/config.ts';

/**
 * The installation's key for hashing UPNs (docs/SECURITY.md "UPNs"). A census's UPNs are never
 * stored; `children.upn_key` holds HMAC-SHA256(key, UPN), so one UPN under two LA child ids is seen
 * across extracts (DfE rule 1520). The key lives in a file of its own, readable by its owner only,
 * so a copy of the warehouse without it cannot be tested against the UPNs an attacker can guess.
 *
 * Where the key file is, first found: LSCB_UPN_KEY_FILE, or beside the warehouse as
 * `<warehouse>.upn-key`. It is made on the first census load. An in-memory warehouse (tests,
 * `lscb validate`) gets a key for this process only.
 */
export const upnKeyFileVariable = 'LSCB_UPN_KEY_FILE';

const keyBytes = 32;
const memoryKey = randomBytes(keyBytes);

export function upnKeyPath(warehousePath: string): string | undefined {
  const configured = process.env[upnKeyFileVariable];
  if (configured !== undefined && configured.trim() !== '') return resolve(configured.trim());
  return warehousePath === ':memory:' ? undefined : `${warehousePath}.upn-key`;
}

/** The key, as hex; made (owner-only, never overwritten) when the file does not exist yet. */
export function installationUpnKey(warehousePath: string): string {
  const path = upnKeyPath(warehousePath);
  if (path === undefined) return memoryKey.toString('hex');
  if (!existsSync(path)) {
    try {
      // 'wx': a second process making the key at the same time fails here and reads the first's.
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, `${randomBytes(keyBytes).toString('hex')}\n`);
      closeSync(fd);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new ConfigError(`cannot make the UPN key file ${path}: ${(err as Error).message}`);
    }
  }
  const text = readFileSync(path, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(text))
    throw new ConfigError(`${path} is not a UPN key (64 hex digits): restore it from its backup (docs/SECURITY.md)`);
  return text;
}
