import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { upnHasher } from '../../etl/identity/upnHash.ts';

// docs/SECURITY.md "UPNs": children.upn_key is the first 22 base64url characters of
// HMAC-SHA256(installation key, UPN). The reader works HMAC out from its definition (RFC 2104) to
// save a keyed object per UPN, so every key already in use must keep giving the same value.
const byNode = (key: Buffer, upn: string) => createHmac('sha256', key).update(upn).digest('base64url').slice(0, 22);

describe('upnHasher: HMAC-SHA256 of a UPN, as createHmac gives it', () => {
  it('matches RFC 4231 test case 2 (key "Jefe"), the published digest cut to 22 characters', () => {
    // RFC 4231 §4.3: HMAC-SHA-256("Jefe", "what do ya want for nothing?") =
    // 5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843, whose base64url opens
    // "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM".
    expect(upnHasher(Buffer.from('Jefe'))('what do ya want for nothing?')).toBe('W9zBRr9gdU5qBCQmCJV1x1');
  });

  it('gives createHmac’s value for installation keys (32 bytes) and UPNs of every shape', () => {
    const upns = [
      '',
      'A123456789012',
      'Z999999999999',
      'A12345678901A',
      'UN3',
      'é-non-ASCII-ü',
      'x'.repeat(55), // the inner message fills SHA-256's first block to its padding's edge
      'x'.repeat(56),
      'x'.repeat(64), // the longest through the quick path
      'x'.repeat(65), // through createHmac
      '\u{1F600}'.repeat(32), // 64 UTF-16 units, 128 bytes of UTF-8
      'é'.repeat(64), // 64 units, 128 bytes
      '€'.repeat(64), // 64 units, 192 bytes: the buffer's whole width
    ];
    for (let trial = 0; trial < 20; trial += 1) {
      const key = randomBytes(32);
      const hashUpn = upnHasher(key);
      for (const upn of upns) expect(hashUpn(upn), JSON.stringify(upn)).toBe(byNode(key, upn));
      for (let i = 0; i < 200; i += 1) {
        const upn = `${String.fromCharCode(65 + (i % 26))}${randomBytes(6).readUIntBE(0, 6)}`.slice(0, 13);
        expect(hashUpn(upn)).toBe(byNode(key, upn));
      }
    }
  });

  it('gives createHmac’s value for a key longer than a block (hashed first) and a short one (padded)', () => {
    for (const key of [randomBytes(100), randomBytes(64), randomBytes(65), randomBytes(1)])
      expect(upnHasher(key)('A123456789012')).toBe(byNode(key, 'A123456789012'));
  });

  it('gives one UPN the same value however many UPNs came before it (the buffers are reused)', () => {
    const key = randomBytes(32);
    const hashUpn = upnHasher(key);
    const first = hashUpn('A123456789012');
    hashUpn('x'.repeat(60));
    hashUpn('B1');
    expect(hashUpn('A123456789012')).toBe(first);
  });
});
