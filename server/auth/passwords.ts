import { zxcvbn, zxcvbnOptions } from '@zxcvbn-ts/core';
import * as commonPasswords from '@zxcvbn-ts/language-common';
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Cost of new hashes: N = 2^15, r = 8 is OWASP's scrypt baseline (about 32 MiB and 50–100 ms per
 * hash). The parameters are stored in each hash, so raising them later leaves old hashes valid.
 */
const defaultCost = { N: 2 ** 15, r: 8, p: 1 } as const;
const saltBytes = 16;
const keyBytes = 32;
const scheme = 'scrypt';

export const minPasswordLength = 12;
/** Long enough for any passphrase; bounded so a request cannot make us hash megabytes. */
export const maxPasswordLength = 256;

interface Cost {
  N: number;
  r: number;
  p: number;
}

function derive(password: string, salt: Buffer, cost: Cost, length: number): Promise<Buffer> {
  // Node's default maxmem (32 MiB) is just below what N = 2^15, r = 8 needs (128·N·r plus overhead).
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** "scrypt$N$r$p$salt$hash", salt and hash base64url: one self-describing string per user. */
export async function hashPassword(password: string, cost: Cost = defaultCost): Promise<string> {
  const salt = randomBytes(saltBytes);
  const key = await derive(password, salt, cost, keyBytes);
  return [scheme, cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

function parseHash(stored: string): { cost: Cost; salt: Buffer; key: Buffer } | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== scheme) return undefined;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  // Bounds stop a tampered row from turning one sign-in into gigabytes of memory.
  const powerOfTwo = Number.isInteger(N) && N >= 2 ** 10 && N <= 2 ** 20 && (N & (N - 1)) === 0;
  if (!powerOfTwo || !Number.isInteger(r) || r < 1 || r > 32 || !Number.isInteger(p) || p < 1 || p > 16)
    return undefined;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const key = Buffer.from(parts[5]!, 'base64url');
  if (salt.length < 8 || key.length < 16 || key.length > 128) return undefined;
  return { cost: { N, r, p }, salt, key };
}

/** True when password matches the stored hash; a malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const candidate = await derive(password, parsed.salt, parsed.cost, parsed.key.length);
  return timingSafeEqual(candidate, parsed.key);
}

let dummyHash: Promise<string> | undefined;

/**
 * A hash to verify against when the username does not exist, so an unknown name takes as long to
 * refuse as a wrong password and response times do not reveal which accounts exist.
 */
export function hashForUnknownUser(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}

// No 0/O/o, 1/l/I/i: one-time passwords are read off a terminal and typed by hand.
const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** 20 random characters in groups of five (about 115 bits), e.g. "k3Tq9-xR7mz-..." */
export function generatePassword(): string {
  const chars: string[] = [];
  const unbiasedBelow = 256 - (256 % alphabet.length);
  while (chars.length < 20) {
    for (const byte of randomBytes(32)) {
      if (byte < unbiasedBelow && chars.length < 20) chars.push(alphabet[byte % alphabet.length]!);
    }
  }
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join('')).join('-');
}

/** Why a chosen password is not acceptable, or undefined when it is. */
let guessingReady = false;
/** zxcvbn's common-password and word lists (about 100,000 entries), set up on first use. */
function estimateGuessing(password: string, context: string[]): { score: number } {
  if (!guessingReady) {
    zxcvbnOptions.setOptions({
      dictionary: { ...commonPasswords.dictionary },
      graphs: commonPasswords.adjacencyGraphs,
    });
    guessingReady = true;
  }
  return zxcvbn(password, context);
}

/** Words a guesser would try first against this product's users. */
const productWords = ['lscb', 'insight', 'safeguarding', 'partnership', 'neglect', 'board', 'officer', 'admin'];

/**
 * Why a chosen password will not do, or undefined. Length alone lets "password1234" through; a
 * password must also not be guessable from the lists of common and breached passwords, keyboard
 * walks and dates that attackers try first (zxcvbn score 3 or more: at least 10^8 guesses).
 */
export function passwordProblem(password: string, username?: string): string | undefined {
  if (password.length < minPasswordLength) return `a password must have at least ${minPasswordLength} characters`;
  if (password.length > maxPasswordLength) return `a password must have at most ${maxPasswordLength} characters`;
  if (password.trim() !== password) return 'a password must not start or end with spaces';
  if (estimateGuessing(password, [...productWords, ...(username ? [username] : [])]).score < 3) {
    return (
      'this password is too easy to guess: it is, or is built from, a common or breached password, a word ' +
      'list or a keyboard pattern. Try three or four unrelated words'
    );
  }
  return undefined;
}
