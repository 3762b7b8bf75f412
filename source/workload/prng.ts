// The simulator's only source of randomness: splitmix32, a seeded 32-bit generator (Vigna's
// splitmix64 finaliser cut down to 32 bits). Same seed ⇒ same sequence on every platform,
// since it uses only Math.imul and 32-bit integer arithmetic. Main entry: createPrng(seed).
//
// Draws built on it (all deterministic):
//   float()           uniform in [0, 1) with 32 bits of resolution
//   int(n)            uniform integer in [0, n) (n ≤ 2^32; multiply-shift, bias < n / 2^32)
//   poisson(mean)     Poisson-distributed count (Knuth's product method in chunks of 16, so
//                     large means do not underflow)
//   exponential(mean) exponential with that mean, by inversion

export type Prng = {
	/** The generator's state; fork() derives an independent stream from it. */
	state: number;
};

const GOLDEN_GAMMA = 0x9e3779b9;

export function createPrng(seed: number): Prng {
	return {state: seed >>> 0};
}

/** The next 32-bit unsigned integer. */
export function nextU32(p: Prng): number {
	p.state = (p.state + GOLDEN_GAMMA) | 0;
	let z = p.state;
	z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
	z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
	return (z ^ (z >>> 16)) >>> 0;
}

/** Uniform in [0, 1). */
export function nextFloat(p: Prng): number {
	return nextU32(p) / 4294967296;
}

/** Uniform integer in [0, n). */
export function nextInt(p: Prng, n: number): number {
	return Math.floor(nextFloat(p) * n);
}

/** A new generator whose sequence is independent of p's further draws (for a sub-system). */
export function forkPrng(p: Prng, salt: number): Prng {
	return createPrng(nextU32(p) ^ Math.imul(salt | 0, 0x27d4eb2d));
}

const POISSON_CHUNK = 16;

/** A Poisson-distributed count with the given mean (≥ 0). */
export function nextPoisson(p: Prng, mean: number): number {
	let count = 0;
	let left = mean;
	while (left > 0) {
		const part = left > POISSON_CHUNK ? POISSON_CHUNK : left;
		left -= part;
		const limit = Math.exp(-part);
		let product = nextFloat(p);
		while (product > limit) {
			count++;
			product *= nextFloat(p);
		}
	}
	return count;
}

/** Exponentially distributed with the given mean. */
export function nextExponential(p: Prng, mean: number): number {
	return -mean * Math.log(1 - nextFloat(p));
}
