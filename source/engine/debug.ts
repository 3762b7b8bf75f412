// SLUB debugging (mm/slub.c, CONFIG_SLUB_DEBUG): poisoning (P), red zones (Z), alloc/free tracking
// (U) and consistency checks (F), with reports in the kernel's wording as debug-report events.
// Main entries: debugInitSlab/debugInitObject (new slab), debugOnAlloc/debugOnFree, the checks
// debugAllocCheck/debugFreeCheck/checkObject (alloc, free, validate) and reportInvalidFree.
//
// Unlike the kernel, a failed check never leaks memory: the corrupted bytes are restored (the
// kernel's "FIX … Restoring …") and the allocation goes on; a refused free leaves the object
// allocated. Every count therefore stays consistent.

import {
	NIL,
	PAGE_SHIFT,
	PAGE_SIZE,
	POISON_END,
	POISON_FREE,
	POISON_INUSE,
	SLUB_RED_ACTIVE,
	SLUB_RED_INACTIVE,
	TRACK_SIZE,
} from './constants.js';
import {type Engine, type KmemCache, pushEvent} from './engine.js';
import {SLAB_CONSISTENCY_CHECKS, SLAB_KMALLOC, SLAB_OBJECT_POISON, SLAB_POISON, SLAB_RED_ZONE, SLAB_STORE_USER} from './flags.js';
import {infoEnd} from './layout.js';

const BAR = '=============================================================================';
const DASH = '-----------------------------------------------------------------------------';

/** The id of a call-site name in this engine's caller table (kept in e.callers). */
function callerId(e: Engine, name: string): number {
	let id = e.callerIds.get(name);
	if (id === undefined) {
		id = e.callers.length;
		e.callers.push(name);
		e.callerIds.set(name, id);
	}
	return id;
}

/** Name the code that is about to allocate or free (a command, a workload phase): the call site STORE_USER tracks record. */
export function setCaller(e: Engine, name: string): void {
	e.currentCaller = callerId(e, name);
}

/** Fill a new slab with POISON_INUSE (with SLAB_POISON), as allocate_slab does. */
export function debugInitSlab(e: Engine, c: KmemCache, slab: number, order: number): void {
	if (c.layout.flags & SLAB_POISON) {
		const base = slab << PAGE_SHIFT;
		e.mem8.fill(POISON_INUSE, base, base + (PAGE_SIZE << order));
	}
}

/** init_object(INACTIVE) plus init_tracking() for a fresh object. */
export function debugInitObject(e: Engine, c: KmemCache, obj: number): void {
	initObject(e, c, obj, SLUB_RED_INACTIVE);
	if (c.layout.flags & SLAB_STORE_USER) {
		const t = obj + infoEnd(c.layout);
		e.mem8.fill(0, t, t + 2 * TRACK_SIZE);
	}
}

function initObject(e: Engine, c: KmemCache, obj: number, red: number): void {
	const {flags, objectSize, inuse, redLeftPad} = c.layout;
	const m = e.mem8;
	if (flags & SLAB_RED_ZONE) m.fill(red, obj - redLeftPad, obj);
	if (flags & SLAB_OBJECT_POISON && red === SLUB_RED_INACTIVE) {
		m.fill(POISON_FREE, obj, obj + objectSize - 1);
		m[obj + objectSize - 1] = POISON_END;
	}
	if (flags & SLAB_RED_ZONE) m.fill(red, obj + objectSize, obj + inuse);
}

function writeTrack(e: Engine, c: KmemCache, obj: number, which: 0 | 1, cpu: number, caller: number): void {
	const t = (obj + infoEnd(c.layout) + which * TRACK_SIZE) >> 2;
	e.mem32[t] = caller;
	e.mem32[t + 1] = cpu;
	e.mem32[t + 2] = 1 + cpu; // pid of the simulated task on that CPU
	e.mem32[t + 3] = e.tick | 0;
}

/** After a debug allocation passed its checks: red zones active, alloc track. */
export function debugOnAlloc(e: Engine, cache: number, obj: number, cpu: number): void {
	const c = e.caches[cache];
	initObject(e, c, obj, SLUB_RED_ACTIVE);
	if (c.layout.flags & SLAB_STORE_USER) writeTrack(e, c, obj, 0, cpu, e.currentCaller);
}

/** Before a debug free goes through: free track, red zones inactive, payload poisoned. */
export function debugOnFree(e: Engine, cache: number, obj: number, cpu: number): void {
	const c = e.caches[cache];
	if (c.layout.flags & SLAB_STORE_USER) writeTrack(e, c, obj, 1, cpu, e.currentCaller);
	initObject(e, c, obj, SLUB_RED_INACTIVE);
}

/**
 * alloc_consistency_checks() with F: the free object about to be handed out must be intact.
 * A fault is reported and repaired, and the allocation goes on (see the file comment).
 */
export function debugCheckBeforeAlloc(e: Engine, cache: number, slab: number, obj: number): void {
	if (e.cacheFlags[cache] & SLAB_CONSISTENCY_CHECKS) checkObject(e, cache, slab, obj, SLUB_RED_INACTIVE);
}

/** free_consistency_checks() with F: red zones of an allocated object intact. */
export function debugFreeCheck(e: Engine, cache: number, slab: number, obj: number): boolean {
	if (checkObject(e, cache, slab, obj, SLUB_RED_ACTIVE)) return true;
	pushEvent(e, 'debug-report', e.caches[cache].name, `FIX ${e.caches[cache].name}: Object at 0x${addr(obj)} not freed`);
	return false;
}

type Fault = {what: string; start: number; end: number; first: number; expected: number};

function firstFault(m: Uint8Array, what: string, start: number, end: number, expected: number): Fault | null {
	for (let p = start; p < end; p++) {
		if (m[p] !== expected) {
			let last = end;
			while (last > p && m[last - 1] === expected) last--;
			return {what, start: p, end: last, first: m[p], expected};
		}
	}
	return null;
}

/**
 * check_object(): compare an object's red zones, poison and padding with what its state says
 * (`red` SLUB_RED_ACTIVE for allocated, SLUB_RED_INACTIVE for free). Reports and repairs each
 * fault; returns true when the object was intact.
 */
export function checkObject(e: Engine, cache: number, slab: number, obj: number, red: number): boolean {
	const c = e.caches[cache];
	const {flags, objectSize, inuse, redLeftPad, size} = c.layout;
	const m = e.mem8;
	const faults: Fault[] = [];
	const push = (f: Fault | null): void => {
		if (f) faults.push(f);
	};
	if (flags & SLAB_RED_ZONE) {
		push(firstFault(m, 'Left Redzone', obj - redLeftPad, obj, red));
		push(firstFault(m, 'Right Redzone', obj + objectSize, obj + inuse, red));
	} else if (flags & SLAB_POISON && objectSize < inuse) {
		push(firstFault(m, 'Alignment padding', obj + objectSize, obj + inuse, POISON_INUSE));
	}
	if (flags & SLAB_POISON) {
		if (flags & SLAB_OBJECT_POISON && red === SLUB_RED_INACTIVE) {
			push(firstFault(m, 'Poison', obj, obj + objectSize - 1, POISON_FREE));
			push(firstFault(m, 'End Poison', obj + objectSize - 1, obj + objectSize, POISON_END));
		}
		// check_pad_bytes(): from the end of the metadata to the end of the slot.
		let meta = infoEnd(c.layout);
		if (flags & SLAB_STORE_USER) meta += 2 * TRACK_SIZE + (flags & SLAB_KMALLOC ? 4 : 0);
		const slotEnd = obj - redLeftPad + size;
		const padStart = obj + meta;
		if (padStart < slotEnd) push(firstFault(m, 'Object padding', padStart, slotEnd, POISON_INUSE));
	}
	if (faults.length === 0) return true;
	const lines: string[] = [];
	for (const f of faults) {
		lines.push(
			`[${f.what} overwritten] 0x${addr(f.start)}-0x${addr(f.end - 1)} @offset=${f.start - obj}. First byte 0x${f.first.toString(16)} instead of 0x${f.expected.toString(16)}`,
		);
	}
	lines.push(...bugHeader(c, 'Object corrupt'), ...trailer(e, c, slab, obj));
	for (const f of faults) {
		lines.push(`FIX ${c.name}: Restoring ${f.what} 0x${addr(f.start)}-0x${addr(f.end - 1)}=0x${f.expected.toString(16)}`);
		m.fill(f.expected, f.start, f.end);
	}
	pushEvent(e, 'debug-report', c.name, lines.join('\n'));
	return false;
}

/** Report a refused free (bad pointer or double free) as SLUB does with F, or as a warning. */
export function reportInvalidFree(e: Engine, cache: number, slab: number, obj: number, reason: string): void {
	const c = e.caches[cache];
	if (c.layout.flags & SLAB_CONSISTENCY_CHECKS) {
		// slab_err() for a bad pointer (slab info only); object_err() with the full trailer.
		const lines =
			reason === 'Invalid object pointer'
				? [...bugHeader(c, `Invalid object pointer 0x${addr(obj)}`), slabLine(e, slab)]
				: [...bugHeader(c, reason), ...trailer(e, c, slab, obj)];
		lines.push(`FIX ${c.name}: Object at 0x${addr(obj)} not freed`);
		pushEvent(e, 'debug-report', c.name, lines.join('\n'));
		return;
	}
	const what = reason === 'Object already free' ? 'double free' : 'free of an invalid pointer';
	pushEvent(
		e,
		'warning',
		c.name,
		`kmem_cache_free(${c.name}): ${what} of 0x${addr(obj)} refused (the kernel would corrupt its freelist here; slab_debug=F reports it)`,
	);
}

function bugHeader(c: KmemCache, reason: string): string[] {
	return [BAR, `BUG ${c.name} (Not tainted): ${reason}`, DASH, ''];
}

function slabLine(e: Engine, slab: number): string {
	const fp = e.pgFreelist[slab];
	return `Slab 0x${addr(slab << PAGE_SHIFT)} objects=${e.pgObjects[slab]} used=${e.pgInuse[slab]} fp=0x${fp === NIL ? '0000000000000000' : addr(fp)} flags=0x200(slab|head|node=0|zone=1)`;
}

function trackLine(e: Engine, c: KmemCache, obj: number, which: 0 | 1): string | null {
	const t = (obj + infoEnd(c.layout) + which * TRACK_SIZE) >> 2;
	const caller = e.mem32[t];
	const when = e.mem32[t + 3];
	if (caller === 0 && when === 0 && e.mem32[t + 2] === 0) return null;
	const name = e.callers[caller] ?? 'unknown';
	return `${which === 0 ? 'Allocated' : 'Freed'} in ${name} age=${e.tick - when} cpu=${e.mem32[t + 1]} pid=${e.mem32[t + 2]}`;
}

/** print_trailer(): tracks, slab line, object line and the hex dumps of the slot. */
function trailer(e: Engine, c: KmemCache, slab: number, obj: number): string[] {
	const {flags, objectSize, inuse, redLeftPad, size, offset} = c.layout;
	const lines: string[] = [];
	if (flags & SLAB_STORE_USER) {
		for (const which of [0, 1] as const) {
			const t = trackLine(e, c, obj, which);
			if (t) lines.push(t);
		}
	}
	lines.push(slabLine(e, slab));
	const fp = e.mem32[(obj + offset) >> 2];
	const slabBase = slab << PAGE_SHIFT;
	lines.push(`Object 0x${addr(obj)} @offset=${obj - slabBase} fp=0x${fp === NIL ? '0000000000000000' : addr(fp)}`, '');
	if (flags & SLAB_RED_ZONE) lines.push(...dump(e.mem8, 'Redzone  ', obj - redLeftPad, redLeftPad));
	lines.push(...dump(e.mem8, 'Object   ', obj, Math.min(objectSize, 4096)));
	if (flags & SLAB_RED_ZONE) lines.push(...dump(e.mem8, 'Redzone  ', obj + objectSize, inuse - objectSize));
	const slotEnd = obj - redLeftPad + size;
	const padStart = obj + inuse;
	if (padStart < slotEnd) lines.push(...dump(e.mem8, 'Padding  ', padStart, slotEnd - padStart));
	return lines;
}

function dump(m: Uint8Array, label: string, start: number, length: number): string[] {
	const out: string[] = [];
	for (let p = start; p < start + length; p += 16) {
		const n = Math.min(16, start + length - p);
		const bytes: string[] = [];
		let ascii = '';
		for (let i = 0; i < n; i++) {
			const b = m[p + i];
			bytes.push(hex2(b));
			ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
		}
		out.push(`${label}${addr(p)}: ${bytes.join(' ').padEnd(47)}  ${ascii}`);
	}
	return out;
}

const hex2 = (b: number): string => b.toString(16).padStart(2, '0');
/** A simulated address shown as a kernel direct-map address. */
export const addr = (a: number): string => `ffff8880${(a >>> 0).toString(16).padStart(8, '0')}`;
