/**
 * The two random generators TravelGym depends on, bit for bit:
 * - numpy's legacy `np.random.seed(n)` + `np.random.shuffle(list)` (option order at load time);
 * - CPython's `random.seed(n)` + `random.choice(seq)` (the unprompted preference reveal).
 * Both are MT19937; they differ in seeding (init_genrand vs init_by_array) and
 * in how they draw a bounded integer (numpy masks, CPython shifts).
 */

const N = 624;
const M = 397;

export class Mt19937 {
  private readonly mt = new Uint32Array(N);
  private index = N;

  /** MT19937 `init_genrand` (numpy's legacy integer seeding). */
  static fromInt(seed: number): Mt19937 {
    const g = new Mt19937();
    g.initGenrand(seed >>> 0);
    return g;
  }

  /** MT19937 `init_by_array` (CPython's `random.seed(int)` with the int's 32-bit words). */
  static fromKey(key: readonly number[]): Mt19937 {
    const g = new Mt19937();
    g.initGenrand(19650218);
    const mt = g.mt;
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1] ?? 0;
      mt[i] = ((mt[i] ?? 0) ^ Math.imul(prev ^ (prev >>> 30), 1664525)) + (key[j] ?? 0) + j;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1] ?? 0;
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] ?? 0;
      mt[i] = ((mt[i] ?? 0) ^ Math.imul(prev ^ (prev >>> 30), 1566083941)) - i;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1] ?? 0;
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    return g;
  }

  private initGenrand(seed: number): void {
    const mt = this.mt;
    mt[0] = seed;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ?? 0;
      mt[i] = Math.imul(1812433253, prev ^ (prev >>> 30)) + i;
    }
    this.index = N;
  }

  private twist(): void {
    const mt = this.mt;
    for (let k = 0; k < N; k++) {
      const y = ((mt[k] ?? 0) & 0x80000000) | ((mt[(k + 1) % N] ?? 0) & 0x7fffffff);
      mt[k] = (mt[(k + M) % N] ?? 0) ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.index = 0;
  }

  /** `genrand_uint32`. */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++] ?? 0;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }
}

function checkUint32(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`${what} must be an integer in [0, 2**32), got ${n}`);
}

/** numpy's legacy global `RandomState` as `np.random.seed(n)` leaves it. */
export class NumpyLegacyRandom {
  private readonly mt: Mt19937;

  constructor(seed: number) {
    checkUint32(seed, 'numpy seed');
    this.mt = Mt19937.fromInt(seed);
  }

  /** numpy's `random_interval(max)`: a uniform integer in [0, max] by masked rejection. */
  interval(max: number): number {
    if (max === 0) return 0;
    checkUint32(max, 'interval');
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    for (;;) {
      const v = (this.mt.nextUint32() & mask) >>> 0;
      if (v <= max) return v;
    }
  }

  /** Draws what shuffling a list of `n` items draws, without a list. */
  skipShuffle(n: number): void {
    for (let i = n - 1; i > 0; i--) this.interval(i);
  }

  /** `np.random.shuffle(list)` (the untyped path): Fisher-Yates from the end, in place. */
  shuffle<T>(items: T[]): void {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.interval(i);
      const a = items[i] as T;
      items[i] = items[j] as T;
      items[j] = a;
    }
  }
}

/** CPython's `random.Random` as `random.seed(n)` leaves it (int seeds only). */
export class PyRandom {
  private readonly mt: Mt19937;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`Python random seed must be an integer, got ${seed}`);
    // random.seed(int) uses abs(n) as little-endian 32-bit words; 0 gives [0].
    let a = BigInt(Math.abs(seed));
    const key: number[] = [];
    while (a > 0n) {
      key.push(Number(a & 0xffffffffn));
      a >>= 32n;
    }
    this.mt = Mt19937.fromKey(key.length ? key : [0]);
  }

  /** `getrandbits(k)` for 0 < k <= 32. */
  getrandbits(k: number): number {
    if (!Number.isInteger(k) || k < 1 || k > 32) throw new RangeError(`getrandbits supports 1..32 bits here, got ${k}`);
    return this.mt.nextUint32() >>> (32 - k);
  }

  /** `_randbelow(n)`: rejection on n.bit_length() bits. */
  randbelow(n: number): number {
    checkUint32(n, 'randbelow bound');
    if (n < 1) throw new RangeError('randbelow needs n >= 1');
    const k = 32 - Math.clz32(n);
    let r = this.getrandbits(k);
    while (r >= n) r = this.getrandbits(k);
    return r;
  }

  /** `random.choice(seq)`. */
  choice<T>(seq: readonly T[]): T {
    if (seq.length === 0) throw new RangeError('Cannot choose from an empty sequence');
    return seq[this.randbelow(seq.length)] as T;
  }
}
