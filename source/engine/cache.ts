// Cache descriptors (mm/slab_common.c, mm/slub.c): kmem_cache_create with SLUB's merging and
// sysfs naming, and kmem_cache_destroy. Main entries: createCache(), destroyCache(),
// findCache().

import {NIL, PAGE_SIZE, WORD} from './constants.js';
import {type Ctor, type Engine, type KmemCache, growCaches, liveObjects, nextRandom, pushEvent} from './engine.js';
import {type EngineResult, fail, ok} from './errors.js';
import {
	SLAB_ACCOUNT,
	SLAB_CACHE_DMA,
	SLAB_CACHE_DMA32,
	SLAB_CONSISTENCY_CHECKS,
	SLAB_DEBUG_FLAGS,
	SLAB_MERGE_SAME,
	SLAB_NEVER_MERGE,
	SLAB_RECLAIM_ACCOUNT,
} from './flags.js';
import {addr} from './debug.js';
import {computeLayout, finalAlign, roundUp} from './layout.js';
import {addPartial, discardSlab, flushAll, removePartial} from './slab.js';
import {barnShrink, initSheaves} from './sheaf.js';

export type CacheRequest = {
	name: string;
	size: number;
	align?: number;
	flags?: number;
	ctor?: Ctor | null;
	useroffset?: number;
	usersize?: number;
	/** In-object free pointer (TYPESAFE_BY_RCU only), -1 for none. */
	freeptrOffset?: number;
	sheafCapacity?: number;
	/** Boot caches (kmem_cache, kmem_cache_node): refcount -1, never merge targets. */
	isBoot?: boolean;
};

/** The rule for cache names (kmem_cache_create and every name a user types). */
export const NAME_RE = /^[A-Za-z0-9_:.()+-]{1,64}$/;

/** Cache ids are kept per frame in an Int16Array (pgCache) and never reused. */
const MAX_CACHE_ID = 32767;

/** The cache a creator name refers to (its own or an alias), or -1. */
export function findCache(e: Engine, name: string): number {
	return e.byName.get(name) ?? -1;
}

/** init_cache_random_seq(): a random permutation of the object indices (Fisher-Yates). */
function randomSequence(e: Engine, count: number): Int32Array {
	const seq = new Int32Array(count);
	for (let i = 0; i < count; i++) seq[i] = i;
	for (let i = count - 1; i > 0; i--) {
		const j = nextRandom(e) % (i + 1);
		const t = seq[i];
		seq[i] = seq[j];
		seq[j] = t;
	}
	return seq;
}

/** slab_unmergeable(): can this cache ever be merged with? */
export function isMergeable(c: KmemCache): boolean {
	return (
		c.refcount >= 0 &&
		!(c.layout.flags & SLAB_NEVER_MERGE) &&
		c.ctor === null &&
		c.usersize === 0 &&
		c.sheafCapacity === 0
	);
}

/** create_unique_id(): `:` + tags (d D a F A) + `-` + 7-digit slot size. */
export function uniqueId(flags: number, size: number): string {
	let tags = '';
	if (flags & SLAB_CACHE_DMA) tags += 'd';
	if (flags & SLAB_CACHE_DMA32) tags += 'D';
	if (flags & SLAB_RECLAIM_ACCOUNT) tags += 'a';
	if (flags & SLAB_CONSISTENCY_CHECKS) tags += 'F';
	if (flags & SLAB_ACCOUNT) tags += 'A';
	return `:${tags}${tags ? '-' : ''}${String(size).padStart(7, '0')}`;
}

/** slab_debug= for this cache name: the debug flags the boot option adds. */
function bootDebugFlags(e: Engine, name: string): number {
	if (e.debugFlags === 0) return 0;
	if (e.debugCaches.length === 0 || e.debugCaches.includes(name)) return e.debugFlags;
	return 0;
}

/** find_mergeable(): the oldest live cache this request can share, or -1. */
function findMergeable(e: Engine, size: number, align: number, flags: number, req: CacheRequest): number {
	if (!e.isMergeEnabled || req.ctor || (req.usersize ?? 0) > 0 || (req.sheafCapacity ?? 0) > 0) return -1;
	if (flags & SLAB_NEVER_MERGE) return -1;
	const objSize = roundUp(size, WORD);
	const a = finalAlign(flags, align, objSize);
	const sz = roundUp(objSize, a);
	for (const id of e.cacheOrderList) {
		const t = e.caches[id];
		if (!t.isAlive || !isMergeable(t)) continue;
		if (sz > t.layout.size || t.layout.size - sz >= WORD) continue;
		if ((t.layout.flags & SLAB_MERGE_SAME) !== (flags & SLAB_MERGE_SAME)) continue;
		if (t.layout.size % a !== 0) continue;
		return id;
	}
	return -1;
}

/**
 * kmem_cache_create(): a new cache, or an alias of an existing one when SLUB would merge
 * them. Returns the cache id, or an error value (bad name or size, name in use).
 */
export function createCache(e: Engine, req: CacheRequest): EngineResult<number> {
	const {name, size} = req;
	if (!NAME_RE.test(name)) {
		return fail('bad-argument', `bad cache name "${name}": use 1-64 letters, digits and _ : . ( ) + -`);
	}
	if (e.byName.has(name)) return fail('cache-exists', `a cache named ${name} already exists`);
	const align = req.align ?? 0;
	const flags = (req.flags ?? 0) | bootDebugFlags(e, name);
	let usersize = req.usersize ?? 0;
	let useroffset = req.useroffset ?? 0;
	if (useroffset + usersize > size) {
		usersize = 0;
		useroffset = 0;
	}
	const target = findMergeable(e, size, align, flags, {...req, usersize});
	if (target >= 0) {
		const t = e.caches[target];
		t.refcount++;
		t.layout.objectSize = Math.max(t.layout.objectSize, size);
		t.layout.inuse = Math.max(t.layout.inuse, roundUp(size, WORD));
		t.aliases.push(name);
		e.byName.set(name, target);
		return ok(target);
	}
	const r = computeLayout({
		objectSize: size,
		align,
		flags,
		hasCtor: req.ctor != null,
		freeptrOffset: req.freeptrOffset ?? -1,
		cpus: e.cpus,
	});
	if (!r.ok) return fail('bad-argument', r.message);
	const layout = r.layout;
	const id = e.caches.length;
	if (id > MAX_CACHE_ID)
		return fail('bad-argument', `no room for another cache: ${MAX_CACHE_ID} caches have been created on this machine`);
	growCaches(e, id + 1);
	const c: KmemCache = {
		id,
		name,
		sysfsName: name,
		aliases: [],
		refcount: req.isBoot ? -1 : 1,
		layout,
		ctor: req.ctor ?? null,
		useroffset,
		usersize,
		sheafCapacity: req.sheafCapacity ?? 0,
		isDebug: (layout.flags & SLAB_DEBUG_FLAGS) !== 0,
		randomSeq: e.isFreelistRandom ? randomSequence(e, layout.objects) : null,
		isAlive: true,
		failures: 0,
		isolated: 0,
		errors: 0,
	};
	if (e.isMergeEnabled && isMergeable(c)) {
		c.sysfsName = uniqueId(layout.flags, layout.size);
		c.aliases.push(name);
	}
	e.caches.push(c);
	e.cacheSize[id] = layout.size;
	e.cacheOffset[id] = layout.offset;
	e.cacheRedLeftPad[id] = layout.redLeftPad;
	e.cacheObjects[id] = layout.objects;
	e.cacheOrder[id] = layout.order;
	e.cacheMinPartial[id] = layout.minPartial;
	e.cacheCpuPartialSlabs[id] = layout.cpuPartialSlabs;
	e.cacheFlags[id] = layout.flags;
	e.cacheIsDebug[id] = c.isDebug ? 1 : 0;
	while (e.sheaves.length <= id) e.sheaves.push(null);
	// Debug caches get no sheaves: their objects must go through the checked slab paths.
	if (c.sheafCapacity > 0 && !c.isDebug) initSheaves(e, id, c.sheafCapacity);
	e.cacheOrderList.push(id);
	e.byName.set(name, id);
	return ok(id);
}

/** What kmem_cache_destroy() did: released the cache, dropped one reference, or leaked it with objects left. */
export type DestroyResult = {isReleased: boolean; leakedObjects: number};

/**
 * kmem_cache_destroy(): drop one reference; the last one releases every slab. With objects
 * still allocated, as 6.18: the CPU slabs are flushed, empty partial slabs freed, each partial
 * slab with objects listed ("Objects remaining on __kmem_cache_shutdown()", one line per
 * object), the WARNING printed, and the cache leaked: it stays in slabinfo with its slabs, its
 * name free for a new cache, never a merge target. Refused for boot caches. `caller` names the
 * call site for the warning.
 */
export function destroyCache(e: Engine, name: string, caller = 'cmd_destroy+0x1c/0x40'): EngineResult<DestroyResult> {
	const id = findCache(e, name);
	if (id < 0) return fail('no-such-cache', `no cache named ${name}`);
	const c = e.caches[id];
	if (c.refcount < 0) return fail('bad-argument', `${c.name} is a boot cache: kmem_cache_destroy() refuses it`);
	if (c.refcount > 1) {
		c.refcount--;
		return ok({isReleased: false, leakedObjects: 0});
	}
	// __kmem_cache_shutdown() empties the sheaves and the barn before it looks for objects.
	const sheaves = e.sheaves[id];
	if (sheaves !== null) {
		flushAll(e, id);
		barnShrink(e, id, 0, sheaves);
	}
	flushAll(e, id);
	const kept: number[] = [];
	while (e.cachePartialHead[id] !== NIL) {
		const slab = e.cachePartialHead[id];
		removePartial(e, id, slab);
		if (e.pgInuse[slab] === 0) discardSlab(e, id, slab);
		else kept.push(slab);
	}
	const live = liveObjects(e, id);
	if (live > 0 || kept.length > 0 || e.cacheNrSlabs[id] > 0) {
		for (const slab of kept) addPartial(e, id, slab, true);
		leakCache(e, id, kept, caller);
		return ok({isReleased: false, leakedObjects: live});
	}
	c.refcount = 0;
	c.isAlive = false;
	for (const [n, cid] of e.byName) if (cid === id) e.byName.delete(n);
	e.cacheOrderList.splice(e.cacheOrderList.indexOf(id), 1);
	return ok({isReleased: true, leakedObjects: 0});
}

/** list_slab_objects() for each partial slab with objects, the WARNING, and the cache left behind. */
function leakCache(e: Engine, id: number, slabs: readonly number[], caller: string): void {
	const c = e.caches[id];
	const lines: string[] = [];
	for (const slab of slabs) {
		c.errors++;
		lines.push(
			'=============================================================================',
			`BUG ${c.name} (Not tainted): Objects remaining on __kmem_cache_shutdown()`,
			'-----------------------------------------------------------------------------',
			'',
		);
		const base = slab * PAGE_SIZE;
		const free = new Set<number>();
		for (
			let p = e.pgFreelist[slab];
			p !== NIL && free.size <= e.pgObjects[slab];
			p = e.mem32[(p + e.cacheOffset[id]) >> 2]
		)
			free.add(p);
		for (let i = 0; i < e.pgObjects[slab]; i++) {
			const obj = base + e.cacheRedLeftPad[id] + i * e.cacheSize[id];
			if (free.has(obj)) continue;
			c.errors++;
			lines.push(`Object 0x${addr(obj)} @offset=${obj - base}`);
		}
		lines.push(
			`Slab 0x${addr(base)} objects=${e.pgObjects[slab]} used=${e.pgInuse[slab]} fp=0x${e.pgFreelist[slab] === NIL ? '0000000000000000' : addr(e.pgFreelist[slab])} flags=0x200(slab|head|node=0|zone=1)`,
		);
	}
	lines.push(
		'------------[ cut here ]------------',
		`kmem_cache_destroy ${c.name}: Slab cache still has objects when called from ${caller}`,
		`(the cache is leaked: it stays in slabinfo with ${liveObjects(e, id)} objects; freeing them still works)`,
	);
	pushEvent(e, 'warning', c.name, lines.join('\n'));
	c.refcount = -1; // never merged into again, never destroyed again
	for (const [n, cid] of e.byName) if (cid === id) e.byName.delete(n);
}
