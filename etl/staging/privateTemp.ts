import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Temporary folders that hold child-level data (staged extract text, uploaded extracts). Each is
 * created owner-only whatever the umask, and named after the process that made it, so the next
 * load or server start can remove what a killed process left behind at once instead of after a day
 * (docs/SECURITY.md, "Files at rest").
 */
export type PrivateTempKind = 'stage' | 'upload';

const prefix = (kind: PrivateTempKind) => `lscb-${kind}-`;
/** Before folders carried their process id: swept only when clearly abandoned. */
const legacyStaleAfterMs = 24 * 60 * 60 * 1000;

export function makePrivateTempDir(kind: PrivateTempKind): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix(kind)}${process.pid}-`));
  // mkdtemp asks for 0700, but says nothing of a umask that is looser than the caller expects.
  chmodSync(dir, 0o700);
  return dir;
}

/** Makes an existing file readable by its owner only (a warehouse or PDF from before this rule). */
export function restrictToOwner(path: string): void {
  if (existsSync(path)) chmodSync(path, 0o600);
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive, and another user's.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes this product's temporary folders whose process has ended. Returns how many it removed.
 * Folders of a process still running (another load, a server's upload in flight) are left alone.
 */
export function sweepLeftoverTempDirs(now = Date.now()): number {
  let removed = 0;
  const remove = (path: string) => {
    try {
      rmSync(path, { recursive: true, force: true });
      removed += 1;
    } catch {
      // Another user's folder, or gone already: not ours to worry about.
    }
  };
  for (const name of readdirSync(tmpdir())) {
    const match = /^lscb-(?:stage|upload)-(?:(\d+)-)?/.exec(name);
    if (!match) {
      // The upload folder of earlier versions: lscb-uploads/<uuid>, each a finished or killed upload.
      if (name === 'lscb-uploads') remove(join(tmpdir(), name));
      continue;
    }
    const path = join(tmpdir(), name);
    const pid = match[1] === undefined ? undefined : Number(match[1]);
    if (pid !== undefined) {
      if (pid !== process.pid && !processIsAlive(pid)) remove(path);
      continue;
    }
    try {
      if (now - statSync(path).mtimeMs > legacyStaleAfterMs) remove(path);
    } catch {
      // Gone already.
    }
  }
  return removed;
}
