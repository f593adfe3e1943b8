import { createHmac, hash } from 'node:crypto';

/** SHA-256's block: HMAC pads its key to this (RFC 2104). */
const blockBytes = 64;
/** The longest UPN, in UTF-16 units, hashed through the buffers below (a UTF-16 unit is ≤ 3 bytes of UTF-8). */
const longestQuick = 64;

/**
 * The function a reader stages a UPN with: `children.upn_key`, the first 22 characters (132 bits)
 * of HMAC-SHA256(installation key, UPN) in base64url (docs/SECURITY.md "UPNs").
 *
 * HMAC is worked out by its definition, SHA-256((K ⊕ opad) ‖ SHA-256((K ⊕ ipad) ‖ UPN)), with two
 * of node's one-shot `hash` calls over buffers that hold the padded keys once: `createHmac` per
 * UPN sets up a keyed object each time and costs twice as much (2.8 against 1.4 µs a UPN here; a
 * national census year has half a million UPNs, read on the census's critical path). The value is
 * the same, byte for byte (tests/etl/upnHash.test.ts holds it to `createHmac`); a UPN too long for
 * the buffers, which no valid UPN is, goes through `createHmac`.
 */
export function upnHasher(key: Buffer): (upn: string) => string {
  const blockKey = key.length > blockBytes ? hash('sha256', key, 'buffer') : key;
  const inner = Buffer.alloc(blockBytes + 3 * longestQuick);
  const outer = Buffer.alloc(blockBytes + 32);
  for (let i = 0; i < blockBytes; i += 1) {
    inner[i] = 0x36 ^ (blockKey[i] ?? 0);
    outer[i] = 0x5c ^ (blockKey[i] ?? 0);
  }
  return (upn) => {
    if (upn.length > longestQuick) return createHmac('sha256', key).update(upn).digest('base64url').slice(0, 22);
    const length = inner.write(upn, blockBytes, 'utf8');
    // 'binary' is Latin-1: the inner digest's 32 bytes as 32 characters, written back byte for byte.
    outer.write(hash('sha256', inner.subarray(0, blockBytes + length), 'binary'), blockBytes, 'binary');
    return hash('sha256', outer, 'base64url').slice(0, 22);
  };
}
