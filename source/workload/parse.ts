// JSON text → Workload, or one line saying which field is wrong and what it should be.
// Pure: reading a workload file is cli.tsx's job. Unknown fields are errors (a typo such as
// "rat" must not silently mean rate 0). Defaults: repeat false, caches [], description '',
// allocCpu "any", freeCpu "same", burst none, burst.offset 0, actions [], untilFailures 0,
// free.pick "random", free.bulk false, align 0, flags "", watch "".
//
// Format (all ticks are whole numbers; see types.ts for the meaning of each field):
//   {"name": "my-load", "description": "…", "repeat": false,
//    "caches": [{"name": "my_cache", "size": 200, "align": 64, "flags": "HWCACHE_ALIGN|ACCOUNT"}],
//    "phases": [{"name": "fill", "ticks": 500, "untilFailures": 0, "watch": "what to look at",
//                "caches": [{"cache": "dentry", "rate": 20,
//                            "lifetime": {"kind": "exponential", "mean": 300},
//                            "allocCpu": "any", "freeCpu": "other",
//                            "burst": {"every": 100, "count": 500, "offset": 0}},
//                           {"kmalloc": 100, "gfp": "GFP_KERNEL_ACCOUNT", "rate": 5, …}],  (kmalloc-cg-128)
//                "actions": [{"at": 250, "kind": "shrink", "cache": "dentry"},
//                            {"at": 400, "kind": "drop_caches"},
//                            {"at": 450, "kind": "free", "cache": "dentry", "fraction": 0.5, "pick": "oldest", "bulk": false}]}]}
// Lifetimes: {"kind": "fixed", "ticks": N}, {"kind": "uniform", "min": A, "max": B},
// {"kind": "exponential", "mean": M}, {"kind": "forever"}.

import {err, ok, type Failure, type Result} from '../result.js';
import {
	GFP_KERNEL,
	KMALLOC_MAX_CACHE_SIZE,
	MAX_CPUS,
	kmallocCacheName,
	parseFlagNames,
	parseGfp,
} from '../engine/index.js';
import type {
	AllocCpu,
	Burst,
	CacheDefinition,
	CacheLoad,
	FreeCpu,
	Lifetime,
	Phase,
	Workload,
	WorkloadAction,
} from './types.js';

export type WorkloadParseResult = Result<Workload, Failure<'invalid-workload'>>;

/** Largest tick count, rate, burst and CPU number the format accepts. */
const MAX_TICKS = 100_000_000;
const MAX_RATE = 100_000;
const MAX_BURST = 1_000_000;
const MAX_CPU = MAX_CPUS - 1;

class FieldError extends Error {}

type Obj = Record<string, unknown>;

function show(value: unknown): string {
	const text = JSON.stringify(value);
	return text === undefined ? String(value) : text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function object(value: unknown, path: string, fields: readonly string[]): Obj {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new FieldError(`${path}: must be an object {…}, not ${show(value)}`);
	}
	const obj = value as Obj;
	for (const key of Object.keys(obj)) {
		if (!fields.includes(key)) {
			throw new FieldError(`${path}: unknown field "${key}" (allowed: ${fields.join(', ')})`);
		}
	}
	return obj;
}

function array(value: unknown, path: string): unknown[] {
	if (!Array.isArray(value)) throw new FieldError(`${path}: must be a list [...], not ${show(value)}`);
	return value;
}

function string(value: unknown, path: string): string {
	if (typeof value !== 'string' || value.trim() === '') {
		throw new FieldError(`${path}: must be a non-empty string, not ${show(value)}`);
	}
	return value;
}

function integer(value: unknown, path: string, min: number, max: number): number {
	if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
		throw new FieldError(`${path}: must be a whole number from ${min} to ${max}, not ${show(value)}`);
	}
	return value;
}

function number(value: unknown, path: string, min: number, max: number): number {
	if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
		throw new FieldError(`${path}: must be a number from ${min} to ${max}, not ${show(value)}`);
	}
	return value;
}

function required(obj: Obj, key: string, path: string): unknown {
	if (!(key in obj)) throw new FieldError(`${path}: missing field "${key}"`);
	return obj[key];
}

function lifetime(value: unknown, path: string): Lifetime {
	const kinds = '"fixed" (ticks), "uniform" (min, max), "exponential" (mean) or "forever"';
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new FieldError(`${path}: must be an object such as {"kind": "exponential", "mean": 200}, not ${show(value)}`);
	}
	const kind = (value as Obj)['kind'];
	switch (kind) {
		case 'fixed': {
			const o = object(value, path, ['kind', 'ticks']);
			return {kind, ticks: integer(required(o, 'ticks', path), `${path}.ticks`, 1, MAX_TICKS)};
		}
		case 'uniform': {
			const o = object(value, path, ['kind', 'min', 'max']);
			const min = integer(required(o, 'min', path), `${path}.min`, 1, MAX_TICKS);
			const max = integer(required(o, 'max', path), `${path}.max`, min, MAX_TICKS);
			return {kind, min, max};
		}
		case 'exponential': {
			const o = object(value, path, ['kind', 'mean']);
			return {kind, mean: number(required(o, 'mean', path), `${path}.mean`, 1, MAX_TICKS)};
		}
		case 'forever':
			object(value, path, ['kind']);
			return {kind};
		default:
			throw new FieldError(`${path}.kind: must be ${kinds}, not ${show(kind)}`);
	}
}

function allocCpu(value: unknown, path: string): AllocCpu {
	if (value === undefined || value === 'any') return 'any';
	if (typeof value === 'number') return integer(value, path, 0, MAX_CPU);
	throw new FieldError(`${path}: must be "any" or a CPU number, not ${show(value)}`);
}

function freeCpu(value: unknown, path: string): FreeCpu {
	if (value === undefined) return 'same';
	if (value === 'same' || value === 'other' || value === 'any') return value;
	if (typeof value === 'number') return integer(value, path, 0, MAX_CPU);
	throw new FieldError(`${path}: must be "same", "other", "any" or a CPU number, not ${show(value)}`);
}

function burst(value: unknown, path: string): Burst | null {
	if (value === undefined || value === null) return null;
	const o = object(value, path, ['every', 'count', 'offset']);
	const every = integer(required(o, 'every', path), `${path}.every`, 1, MAX_TICKS);
	return {
		every,
		count: integer(required(o, 'count', path), `${path}.count`, 1, MAX_BURST),
		offset: o['offset'] === undefined ? 0 : integer(o['offset'], `${path}.offset`, 0, every - 1),
	};
}

/**
 * The cache a load names: `"cache": NAME`, or `"kmalloc": SIZE` with an optional `"gfp"` mask,
 * which names the kmalloc cache the kernel would pick (kmalloc_index, kmalloc_type).
 */
function loadCache(o: Obj, path: string): string {
	if (o['kmalloc'] === undefined) {
		if (o['gfp'] !== undefined) throw new FieldError(`${path}.gfp: only with "kmalloc": SIZE`);
		return string(required(o, 'cache', path), `${path}.cache`);
	}
	if (o['cache'] !== undefined) throw new FieldError(`${path}: give "cache" or "kmalloc", not both`);
	const size = integer(o['kmalloc'], `${path}.kmalloc`, 1, KMALLOC_MAX_CACHE_SIZE);
	let gfp = GFP_KERNEL;
	if (o['gfp'] !== undefined) {
		const parsed = parseGfp(string(o['gfp'], `${path}.gfp`));
		if (!parsed.ok)
			throw new FieldError(`${path}.gfp: unknown flag ${show(parsed.bad)} (e.g. "GFP_KERNEL|__GFP_ACCOUNT")`);
		gfp = parsed.gfp;
	}
	return kmallocCacheName(size, gfp);
}

function cacheLoad(value: unknown, path: string): CacheLoad {
	const o = object(value, path, ['cache', 'kmalloc', 'gfp', 'rate', 'lifetime', 'allocCpu', 'freeCpu', 'burst']);
	return {
		cache: loadCache(o, path),
		rate: number(required(o, 'rate', path), `${path}.rate`, 0, MAX_RATE),
		lifetime: lifetime(required(o, 'lifetime', path), `${path}.lifetime`),
		allocCpu: allocCpu(o['allocCpu'], `${path}.allocCpu`),
		freeCpu: freeCpu(o['freeCpu'], `${path}.freeCpu`),
		burst: burst(o['burst'], `${path}.burst`),
	};
}

function action(value: unknown, path: string, ticks: number): WorkloadAction {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new FieldError(
			`${path}: must be an object such as {"at": 0, "kind": "shrink", "cache": "all"}, not ${show(value)}`,
		);
	}
	const kind = (value as Obj)['kind'];
	const at = (o: Obj): number => integer(required(o, 'at', path), `${path}.at`, 0, ticks - 1);
	switch (kind) {
		case 'shrink': {
			const o = object(value, path, ['at', 'kind', 'cache']);
			return {kind, at: at(o), cache: o['cache'] === undefined ? 'all' : string(o['cache'], `${path}.cache`)};
		}
		case 'drop_caches': {
			const o = object(value, path, ['at', 'kind']);
			return {kind, at: at(o)};
		}
		case 'free': {
			const o = object(value, path, ['at', 'kind', 'cache', 'fraction', 'pick', 'bulk']);
			const pick = o['pick'] ?? 'random';
			const bulk = o['bulk'] ?? false;
			if (typeof bulk !== 'boolean') throw new FieldError(`${path}.bulk: must be true or false, not ${show(bulk)}`);
			if (pick !== 'random' && pick !== 'oldest' && pick !== 'newest') {
				throw new FieldError(`${path}.pick: must be "random", "oldest" or "newest", not ${show(pick)}`);
			}
			return {
				kind,
				at: at(o),
				cache: string(required(o, 'cache', path), `${path}.cache`),
				fraction: number(required(o, 'fraction', path), `${path}.fraction`, 0, 1),
				pick,
				bulk,
			};
		}
		default:
			throw new FieldError(`${path}.kind: must be "shrink", "drop_caches" or "free", not ${show(kind)}`);
	}
}

function phase(value: unknown, path: string): Phase {
	const o = object(value, path, ['name', 'ticks', 'caches', 'actions', 'untilFailures', 'watch']);
	const ticks = integer(required(o, 'ticks', path), `${path}.ticks`, 1, MAX_TICKS);
	const caches = o['caches'] === undefined ? [] : array(o['caches'], `${path}.caches`);
	const actions = o['actions'] === undefined ? [] : array(o['actions'], `${path}.actions`);
	return {
		name: string(required(o, 'name', path), `${path}.name`),
		ticks,
		caches: caches.map((c, i) => cacheLoad(c, `${path}.caches[${i}]`)),
		actions: actions.map((a, i) => action(a, `${path}.actions[${i}]`, ticks)).sort((a, b) => a.at - b.at),
		untilFailures:
			o['untilFailures'] === undefined ? 0 : integer(o['untilFailures'], `${path}.untilFailures`, 0, MAX_TICKS),
		watch: o['watch'] === undefined ? '' : string(o['watch'], `${path}.watch`),
	};
}

function cacheDefinition(value: unknown, path: string): CacheDefinition {
	const o = object(value, path, ['name', 'size', 'align', 'flags']);
	const flagsText = o['flags'] === undefined ? '' : o['flags'];
	if (typeof flagsText !== 'string') {
		throw new FieldError(`${path}.flags: must be a string such as "HWCACHE_ALIGN|ACCOUNT", not ${show(flagsText)}`);
	}
	const parsed = parseFlagNames(flagsText);
	if (!parsed.ok)
		throw new FieldError(`${path}.flags: unknown flag "${parsed.bad}" (write e.g. "HWCACHE_ALIGN|ACCOUNT")`);
	const align = o['align'] === undefined ? 0 : integer(o['align'], `${path}.align`, 0, 8192);
	if (align & (align - 1)) throw new FieldError(`${path}.align: must be 0 or a power of two, not ${align}`);
	return {
		name: string(required(o, 'name', path), `${path}.name`),
		size: integer(required(o, 'size', path), `${path}.size`, 1, 8 * 1024 * 1024),
		align,
		flags: parsed.flags,
	};
}

function workload(value: unknown, fallbackName: string): Workload {
	const o = object(value, 'workload', ['name', 'description', 'repeat', 'caches', 'phases']);
	const phases = array(required(o, 'phases', 'workload'), 'phases');
	if (phases.length === 0) throw new FieldError('phases: must list at least one phase');
	const repeat = o['repeat'] ?? false;
	if (typeof repeat !== 'boolean') throw new FieldError(`repeat: must be true or false, not ${show(repeat)}`);
	const description = o['description'] ?? '';
	if (typeof description !== 'string') throw new FieldError(`description: must be a string, not ${show(description)}`);
	const caches = o['caches'] === undefined ? [] : array(o['caches'], 'caches');
	return {
		name: o['name'] === undefined ? fallbackName : string(o['name'], 'name'),
		description,
		repeat,
		caches: caches.map((c, i) => cacheDefinition(c, `caches[${i}]`)),
		phases: phases.map((p, i) => phase(p, `phases[${i}]`)),
	};
}

/** JSON text → Workload. `fallbackName` names it when the text has no "name". */
export function parseWorkload(text: string, fallbackName = 'workload'): WorkloadParseResult {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
		return err('invalid-workload', `not valid JSON: ${detail}`);
	}
	return fromValue(value, fallbackName);
}

/** An already-parsed JSON value → Workload (the presets are data in this form). */
export function fromValue(value: unknown, fallbackName = 'workload'): WorkloadParseResult {
	try {
		return ok(workload(value, fallbackName));
	} catch (error) {
		if (error instanceof FieldError) return err('invalid-workload', error.message);
		throw error;
	}
}
