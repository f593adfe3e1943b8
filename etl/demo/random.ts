/**
 * Seeded pseudo-random numbers. Math.random cannot be seeded, and the demo must come out byte-identical
 * for the same seed, so every draw in the generator comes from here.
 *
 * sfc32 (Chris Doty-Humphrey's Small Fast Chaotic generator) passes PractRand at the sizes we use and is a
 * handful of 32-bit integer operations per draw. Each family gets its own stream (seed, family index), so the
 * draws for one family never depend on how many draws an earlier family happened to make.
 */

function splitmix32(state: number): [number, number] {
  state = (state + 0x9e3779b9) | 0;
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [state, (z ^ (z >>> 16)) >>> 0];
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0) {
    let s = (seed ^ Math.imul(stream + 1, 0x27d4eb2f)) | 0;
    let v: number;
    [s, v] = splitmix32(s);
    this.a = v;
    [s, v] = splitmix32(s ^ (stream >>> 0));
    this.b = v;
    [s, v] = splitmix32(s ^ Math.floor(stream / 0x1_0000_0000));
    this.c = v;
    [, v] = splitmix32(s);
    this.d = v | 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4_294_967_296;
  }

  /** Uniform integer in [low, high], both inclusive. */
  int(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element, equally likely. */
  item<T>(items: readonly T[]): T {
    const value = items[Math.floor(this.next() * items.length)];
    if (value === undefined) throw new Error('Random.item on an empty list');
    return value;
  }

  /** Exponential waiting time with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
}

/** A fixed discrete distribution: values with relative weights, drawn by one uniform. */
export class Weighted<T> {
  private readonly values: readonly T[];
  private readonly cumulative: Float64Array;

  constructor(entries: readonly (readonly [T, number])[]) {
    if (entries.length === 0) throw new Error('Weighted needs at least one entry');
    this.values = entries.map(([value]) => value);
    this.cumulative = new Float64Array(entries.length);
    let total = 0;
    entries.forEach(([, weight], i) => {
      total += weight;
      this.cumulative[i] = total;
    });
    for (let i = 0; i < entries.length; i++) this.cumulative[i]! /= total;
  }

  draw(random: Random): T {
    const u = random.next();
    const last = this.values.length - 1;
    for (let i = 0; i < last; i++) if (u < this.cumulative[i]!) return this.values[i]!;
    return this.values[last]!;
  }
}
