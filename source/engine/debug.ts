// SLUB debugging (mm/slub.c, CONFIG_SLUB_DEBUG): poisoning (P), red zones (Z), alloc/free tracking
// (U) and consistency checks (F), with reports in the kernel's wording as debug-report events.
// Main entries: debugInitSlab/debugInitObject (new slab), debugOnAlloc/debugOnFree, the checks
// debugCheckBeforeAlloc/debugFreeCheck/checkObject (alloc, free, validate), checkValidPointer,
// onFreelist and slabPadCheck (validate), and reportInvalidFree.
//
// As the kernel: corrupted bytes are restored ("FIX … Restoring …"); a failed allocation check
// marks the slab's objects used and takes none of them ("FIX …: Marking all objects used"); a
// corrupted freelist is cut or cleared and the slab's count adjusted. Objects so taken out of
// use are counted in the cache's `isolated` (so allocs − frees still adds up), and every error
// SLUB reports in the cache's `errors` (one per BUG, overwritten range and FIX: what
// slub_kunit.c counts).

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
import {
	SLAB_CONSISTENCY_CHECKS,
	SLAB_KMALLOC,
	SLAB_OBJECT_POISON,
	SLAB_POISON,
	SLAB_RED_ZONE,
	SLAB_STORE_USER,
} from './flags.js';
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
	if (c.layout.flags & SLAB_STORE_USER) {
		writeTrack(e, c, obj, 0, cpu, e.currentCaller);
		// set_orig_size(): kmem_cache_alloc asks for object_size; kmalloc records its size after.
		if (c.layout.flags & SLAB_KMALLOC) e.mem32[(obj + infoEnd(c.layout) + 2 * TRACK_SIZE) >> 2] = c.layout.objectSize;
	}
}

/** Before a debug free goes through: free track, red zones inactive, payload poisoned. */
export function debugOnFree(e: Engine, cache: number, obj: number, cpu: number): void {
	const c = e.caches[cache];
	if (c.layout.flags & SLAB_STORE_USER) writeTrack(e, c, obj, 1, cpu, e.currentCaller);
	initObject(e, c, obj, SLUB_RED_INACTIVE);
}

/**
 * alloc_consistency_checks() with F: the free object about to be handed out must be a valid
 * pointer of its slab and intact. False when a check failed (reported; bytes restored).
 */
export function debugCheckBeforeAlloc(e: Engine, cache: number, slab: number, obj: number): boolean {
	if (!(e.cacheFlags[cache] & SLAB_CONSISTENCY_CHECKS)) return true;
	const c = e.caches[cache];
	slabPadCheck(e, cache, slab);
	if (!checkValidPointer(e, cache, slab, obj)) {
		objectErr(e, c, slab, obj, 'Freelist Pointer check fails', []);
		return false;
	}
	return checkObject(e, cache, slab, obj, SLUB_RED_INACTIVE);
}

/**
 * Without F nothing checks the object a debug cache hands out: a free pointer overwritten with
 * garbage (`write`) would send the kernel to a wild address and crash it. The simulator does
 * not follow it: it says so and gives the slab up as F's recovery would. True when `obj` is a
 * real object of the slab.
 */
export function isWildFreelistSafe(e: Engine, cache: number, slab: number, obj: number): boolean {
	if (checkValidPointer(e, cache, slab, obj)) return true;
	const c = e.caches[cache];
	pushEvent(
		e,
		'warning',
		c.name,
		`the freelist of slab 0x${addr(slab << PAGE_SHIFT)} (${c.name}) points to 0x${addr(obj)}, not an object of the slab: without slab_debug=F the kernel would hand it out and crash; the simulator gives the slab up instead`,
	);
	return false;
}

/**
 * alloc_debug_processing()'s recovery when the checks failed: "Marking all objects used" (the
 * slab keeps none free, so nothing more is taken from it). Returns the objects taken out.
 */
export function markAllObjectsUsed(e: Engine, cache: number, slab: number): number {
	const c = e.caches[cache];
	const lost = e.pgObjects[slab] - e.pgInuse[slab];
	pushFix(e, c, 'Marking all objects used');
	e.pgInuse[slab] = e.pgObjects[slab];
	e.pgFreelist[slab] = NIL;
	c.isolated += lost;
	return lost;
}

/** free_consistency_checks() with F: red zones of an allocated object intact. */
export function debugFreeCheck(e: Engine, cache: number, slab: number, obj: number): boolean {
	if (checkObject(e, cache, slab, obj, SLUB_RED_ACTIVE)) return true;
	pushFix(e, e.caches[cache], `Object at 0x${addr(obj)} not freed`);
	return false;
}

/** check_valid_pointer(): NULL, or an object start inside `slab`. */
export function checkValidPointer(e: Engine, cache: number, slab: number, p: number): boolean {
	if (p === NIL) return true;
	const size = e.cacheSize[cache];
	const rel = p - (slab << PAGE_SHIFT) - e.cacheRedLeftPad[cache];
	return Number.isInteger(rel) && rel >= 0 && rel % size === 0 && rel / size < e.pgObjects[slab];
}

/** slab_fix(): one FIX line, an error of its own. */
function pushFix(e: Engine, c: KmemCache, text: string): void {
	c.errors++;
	pushEvent(e, 'debug-report', c.name, `FIX ${c.name}: ${text}`);
}

/** slab_err(): BUG header and the slab's line. */
function slabErr(e: Engine, c: KmemCache, slab: number, reason: string): void {
	c.errors++;
	pushEvent(e, 'debug-report', c.name, [...bugHeader(c, reason), slabLine(e, slab)].join('\n'));
}

/** object_err(): BUG header and the object's trailer, after `before` lines. */
function objectErr(e: Engine, c: KmemCache, slab: number, obj: number, reason: string, before: string[]): void {
	c.errors++;
	pushEvent(e, 'debug-report', c.name, [...before, ...bugHeader(c, reason), ...trailer(e, c, slab, obj)].join('\n'));
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

/** Where orig_size lives (kmalloc caches with STORE_USER), or -1. */
function origSizeOf(e: Engine, c: KmemCache, obj: number): number {
	const {flags, objectSize} = c.layout;
	if (!(flags & SLAB_KMALLOC) || !(flags & SLAB_STORE_USER)) return -1;
	const orig = e.mem32[(obj + infoEnd(c.layout) + 2 * TRACK_SIZE) >> 2];
	return orig > 0 && orig <= objectSize ? orig : objectSize;
}

/**
 * check_object() as 6.18: every check runs (red zones, the kmalloc red zone beyond orig_size,
 * poison, padding), each fault is reported as "[<what> overwritten]" (the first with the
 * object's dump, "Object corrupt") and restored; then, where the object may hold it, the free
 * pointer must be valid ("Freepointer corrupt": it is cut to NULL). `red` is SLUB_RED_ACTIVE
 * for an allocated object, SLUB_RED_INACTIVE for a free one. True when all was well.
 */
export function checkObject(e: Engine, cache: number, slab: number, obj: number, red: number): boolean {
	const c = e.caches[cache];
	const {flags, objectSize, inuse, redLeftPad, size, offset, isFreePointerAfter} = c.layout;
	const m = e.mem8;
	const faults: Fault[] = [];
	const push = (f: Fault | null): void => {
		if (f) faults.push(f);
	};
	if (flags & SLAB_RED_ZONE) {
		push(firstFault(m, 'Left Redzone', obj - redLeftPad, obj, red));
		push(firstFault(m, 'Right Redzone', obj + objectSize, obj + inuse, red));
		const orig = origSizeOf(e, c, obj);
		if (red === SLUB_RED_ACTIVE && orig >= 0 && orig < objectSize)
			push(firstFault(m, 'kmalloc Redzone', obj + orig, obj + objectSize, red));
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
	if (faults.length > 0) {
		const lines = faults.map(
			f =>
				`[${f.what} overwritten] 0x${addr(f.start)}-0x${addr(f.end - 1)} @offset=${f.start - (slab << PAGE_SHIFT)}. First byte 0x${f.first.toString(16)} instead of 0x${f.expected.toString(16)}`,
		);
		lines.push(...bugHeader(c, 'Object corrupt'), ...trailer(e, c, slab, obj));
		for (const f of faults) {
			lines.push(
				`FIX ${c.name}: Restoring ${f.what} 0x${addr(f.start)}-0x${addr(f.end - 1)}=0x${f.expected.toString(16)}`,
			);
			m.fill(f.expected, f.start, f.end);
		}
		c.errors += 2 * faults.length; // each range reported, then its FIX
		pushEvent(e, 'debug-report', c.name, lines.join('\n'));
	}
	let isOk = faults.length === 0;
	// The free pointer can be checked only where the object does not overlay it, or when free.
	if (
		(isFreePointerAfter || red !== SLUB_RED_ACTIVE) &&
		!checkValidPointer(e, cache, slab, e.mem32[(obj + offset) >> 2])
	) {
		objectErr(e, c, slab, obj, 'Freepointer corrupt', []);
		e.mem32[(obj + offset) >> 2] = NIL; // set_freepointer(s, p, NULL): the rest of the freelist is lost
		isOk = false;
	}
	return isOk;
}

/**
 * slab_pad_check() (SLAB_POISON): the bytes after the last object up to the slab's end must
 * still be POISON_INUSE; a fault is reported ("Padding overwritten") and restored.
 */
export function slabPadCheck(e: Engine, cache: number, slab: number): boolean {
	const c = e.caches[cache];
	if (!(c.layout.flags & SLAB_POISON)) return true;
	const start = slab << PAGE_SHIFT;
	const length = PAGE_SIZE << e.pgOrder[slab];
	const remainder = length % c.layout.size;
	if (remainder === 0) return true;
	const fault = firstFault(e.mem8, 'slab padding', start + length - remainder, start + length, POISON_INUSE);
	if (fault === null) return true;
	slabErr(
		e,
		c,
		slab,
		`Padding overwritten. 0x${addr(fault.start)}-0x${addr(fault.end - 1)} @offset=${fault.start - start}`,
	);
	pushFix(
		e,
		c,
		`Restoring slab padding 0x${addr(fault.start)}-0x${addr(fault.end - 1)}=0x${POISON_INUSE.toString(16)}`,
	);
	e.mem8.fill(POISON_INUSE, fault.start, fault.end);
	return false;
}

/**
 * on_freelist(s, slab, NULL) for validate: walk the slab's freelist checking each pointer. A
 * bad pointer after the first object cuts the chain there ("Freechain corrupt"); a bad first
 * pointer or a cycle clears the freelist ("Freepointer corrupt" / "Freelist cycle detected",
 * "Freelist cleared", the slab counted full). Then the slab's in-use count must match what
 * the walk found ("Wrong object count", "Object count adjusted"). False when the freelist was
 * cleared (validate then checks no object of this slab).
 */
export function onFreelist(e: Engine, cache: number, slab: number): boolean {
	const c = e.caches[cache];
	const offset = e.cacheOffset[cache];
	const objects = e.pgObjects[slab];
	let nr = 0;
	let object = NIL;
	let fp = e.pgFreelist[slab];
	const clear = (reason: string): false => {
		slabErr(e, c, slab, reason);
		c.isolated += e.pgObjects[slab] - e.pgInuse[slab];
		e.pgFreelist[slab] = NIL;
		e.pgInuse[slab] = objects;
		pushFix(e, c, 'Freelist cleared');
		return false;
	};
	while (fp !== NIL && nr <= objects) {
		if (!checkValidPointer(e, cache, slab, fp)) {
			if (object === NIL) return clear('Freepointer corrupt');
			objectErr(e, c, slab, object, 'Freechain corrupt', []);
			e.mem32[(object + offset) >> 2] = NIL;
			break;
		}
		object = fp;
		fp = e.mem32[(object + offset) >> 2];
		nr++;
	}
	if (nr > objects) return clear('Freelist cycle detected');
	if (e.pgInuse[slab] !== objects - nr) {
		slabErr(e, c, slab, `Wrong object count. Counter is ${e.pgInuse[slab]} but counted were ${objects - nr}`);
		c.isolated += objects - nr - e.pgInuse[slab];
		e.pgInuse[slab] = objects - nr;
		pushFix(e, c, 'Object count adjusted');
	}
	return true;
}

/** Report a refused free (bad pointer or double free) as SLUB does with F, or as a warning. */
export function reportInvalidFree(e: Engine, cache: number, slab: number, obj: number, reason: string, cpu = 0): void {
	const c = e.caches[cache];
	if (c.layout.flags & SLAB_CONSISTENCY_CHECKS) {
		// slab_err() for a bad pointer (slab info only); object_err() with the full trailer.
		const lines =
			reason === 'Invalid object pointer'
				? [...bugHeader(c, `Invalid object pointer 0x${addr(obj)}`), slabLine(e, slab)]
				: [...bugHeader(c, reason), ...trailer(e, c, slab, obj)];
		lines.push(`FIX ${c.name}: Object at 0x${addr(obj)} not freed`);
		c.errors += 2;
		pushEvent(e, 'debug-report', c.name, lines.join('\n'));
		return;
	}
	if (reason === 'Object already free') {
		reportHardenedDoubleFree(e, c, slab, obj, cpu);
		return;
	}
	pushEvent(
		e,
		'warning',
		c.name,
		`kmem_cache_free(${c.name}): 0x${addr(obj)} is not the start of an object: refused. Without slab_debug=F the kernel does not check this and would corrupt its freelist; the simulator refuses it to keep its lists whole (--debug=F reports it in the kernel's words)`,
	);
}

/**
 * A double free without F, on a kernel with CONFIG_SLAB_FREELIST_HARDENED: set_freepointer()'s
 * naive check, BUG_ON(object == fp), catches the object that heads the freelist it is pushed
 * onto (the kernel oopses; the simulator reports it and goes on). Any other double free goes
 * unnoticed by the kernel, which would hand the object out twice later; the simulator says so
 * and refuses it (a deliberate departure: its freelists stay whole).
 */
function reportHardenedDoubleFree(e: Engine, c: KmemCache, slab: number, obj: number, cpu: number): void {
	const idx = c.id * e.cpus + cpu;
	const head = e.cpuState[idx * 2 + 1] === slab ? e.cpuState[idx * 2] : e.pgFreelist[slab];
	if (head === obj) {
		pushEvent(
			e,
			'debug-report',
			c.name,
			[
				'------------[ cut here ]------------',
				'kernel BUG at mm/slub.c: set_freepointer(): BUG_ON(object == fp)',
				'Oops: invalid opcode: 0000 [#1] PREEMPT SMP NOPTI',
				`RIP: 0010:kmem_cache_free  (naive double free of 0x${addr(obj)} in ${c.name}, caught by CONFIG_SLAB_FREELIST_HARDENED)`,
				'(simulator: the free is refused and the machine goes on; the kernel would kill the task)',
			].join('\n'),
		);
		return;
	}
	pushEvent(
		e,
		'warning',
		c.name,
		`double free of 0x${addr(obj)} in ${c.name}: not caught by the kernel here (CONFIG_SLAB_FREELIST_HARDENED only catches freeing the object at the freelist head; slab_debug=F catches all). The kernel would put it on the freelist twice and hand it out twice. Simulator: refused, to keep its freelists whole (a deliberate departure)`,
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
