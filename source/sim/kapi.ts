// The kernel's allocator API carried out on the simulated machine (the commands are
// commands/kapi-command.ts): kmalloc, kzalloc, kfree, krealloc, kfree_rcu with a simulated
// grace period, kmem_cache_free of one object, `objects` and `write`, which puts bytes into the
// simulated memory in or beyond an object as slub_kunit.c does to exercise SLUB's debug
// checks. Main entries: createKapiState(), executeKapi(), handleObjects() (handles for
// `alloc -c`), processRcu() (each tick) and flushRcu() (kvfree_rcu_barrier_on_cache, before
// kmem_cache_destroy).
//
// Handles: every object the command bar allocates gets the next `#n`; a handle keeps its
// address after a free, so a use after free (`write #3 0 78` once #3 is freed) is possible, as
// in the kernel. Its state (allocated, free, kfree_rcu pending) is read from the allocator.

import {
	KMALLOC_MAX_SIZE,
	NIL,
	PAGE_SHIFT,
	PAGE_SIZE,
	ZERO_SIZE_PTR,
	FreeStatus,
	SlabState,
	eventsSince,
	findCache,
	freeChecked,
	getOrigSize,
	hasOrigSize,
	gfpText,
	isObjectFree,
	isObjectStart,
	kfreeAny,
	kmalloc,
	kmallocFromCache,
	krealloc,
	largeKmallocOf,
	liveObjects,
	setCaller,
	type Engine,
} from '../engine/index.js';
import {answered, refused, type CommandAnswer} from '../commands/bar-command.js';
import {DIRECT_MAP, type KapiCommand, type ObjectTarget} from '../commands/kapi-command.js';

/** Simulated ticks of an RCU grace period (10 ms each): kfree_rcu frees this long after. */
export const RCU_GRACE_TICKS = 3;

export type HandleEntry = {
	handle: number;
	address: number;
	/** Cache id, or -1 for a large kmalloc. */
	cache: number;
	/** Bytes asked for (kmalloc) or the cache's object size (alloc -c). */
	size: number;
	how: 'kmalloc' | 'kzalloc' | 'alloc -c' | 'krealloc';
};

type RcuEntry = {handle: number; address: number; dueTick: number};

export type KapiState = {
	handles: Map<number, HandleEntry>;
	nextHandle: number;
	rcu: RcuEntry[];
};

export function createKapiState(): KapiState {
	return {handles: new Map(), nextHandle: 1, rcu: []};
}

// ---------------------------------------------------------------------------------------------
// Execution

const ok = answered;
const fail = refused;
type CommandOutcome = CommandAnswer;

/** An address as the kernel prints a direct-map pointer. */
export const addrText = (a: number): string => `0x${DIRECT_MAP}${(a >>> 0).toString(16).padStart(8, '0')}`;

/** The engine's reports since `seq`, as lines to follow an answer. */
function reportsSince(e: Engine, seq: number): string {
	const texts = eventsSince(e, seq).map(ev => ev.text);
	return texts.length === 0 ? '' : `\n${texts.join('\n')}`;
}

function newHandle(k: KapiState, entry: Omit<HandleEntry, 'handle'>): number {
	const handle = k.nextHandle++;
	k.handles.set(handle, {handle, ...entry});
	return handle;
}

/** Give handles to objects `alloc -c` made (called by sim-commands.ts): the range `#a-#b`. */
export function handleObjects(k: KapiState, e: Engine, cache: number, objs: Int32Array, count: number): string {
	const first = k.nextHandle;
	for (let i = 0; i < count; i++)
		newHandle(k, {address: objs[i], cache, size: e.caches[cache].layout.objectSize, how: 'alloc -c'});
	return count === 1 ? `#${first}` : `#${first}-#${k.nextHandle - 1}`;
}

/** The address a target names, or the error outcome. */
function resolve(k: KapiState, target: ObjectTarget): {address: number; entry: HandleEntry | null} | CommandOutcome {
	if (target.kind === 'address') {
		let entry: HandleEntry | null = null;
		for (const h of k.handles.values()) if (h.address === target.address) entry = h;
		return {address: target.address, entry};
	}
	const entry = k.handles.get(target.handle);
	if (entry === undefined) return fail(`no handle ${target.text} (objects lists them; kmalloc and alloc -c make them)`);
	return {address: entry.address, entry};
}

/** What the allocator says of an address: its cache and slab, or a large kmalloc, and whether it is live. */
type Where =
	| {kind: 'slab'; cache: number; slab: number; isStart: boolean; isFree: boolean}
	| {kind: 'large'; frame: number}
	| {kind: 'none'};

function whereIs(e: Engine, address: number): Where {
	if (!Number.isInteger(address) || address < 0 || address >= e.memoryBytes) return {kind: 'none'};
	const cache = e.pgCache[address >> PAGE_SHIFT];
	if (cache > 0) {
		const slab = e.pgHead[address >> PAGE_SHIFT];
		const isStart = isObjectStart(e, cache, slab, address);
		return {kind: 'slab', cache, slab, isStart, isFree: isStart && isObjectFree(e, cache, slab, address)};
	}
	const frame = largeKmallocOf(e, address);
	return frame === NIL ? {kind: 'none'} : {kind: 'large', frame};
}

function kmallocCommand(k: KapiState, e: Engine, c: Extract<KapiCommand, {kind: 'kmalloc'}>): CommandOutcome {
	const fn = c.isZero ? 'kzalloc' : 'kmalloc';
	if (c.cpu >= e.cpus) return fail(`CPU ${c.cpu} does not exist: the machine has CPUs 0-${e.cpus - 1} (--cpu C)`);
	const gfp = c.isZero ? c.gfp | 0x100 : c.gfp;
	const call = `${fn}(${c.size}, ${gfpText(c.gfp)})`;
	if (c.size === 0) return ok(`${call} = ZERO_SIZE_PTR (0x10): nothing is allocated, and kfree of it does nothing`);
	let cache = -1;
	if (c.cache !== null) {
		cache = findCache(e, c.cache);
		if (cache < 0)
			return fail(`${fn}: no cache named ${c.cache} (-c names the kmalloc cache to use, as __kmalloc_cache does)`);
		if (c.size > e.caches[cache].layout.objectSize) {
			return fail(`${fn}: ${c.size} bytes do not fit ${c.cache}'s ${e.caches[cache].layout.objectSize}-byte objects`);
		}
	} else if (c.size > KMALLOC_MAX_SIZE) {
		return fail(
			`${call}: more than KMALLOC_MAX_SIZE (${KMALLOC_MAX_SIZE} bytes, one order-10 block): the kernel warns and returns NULL`,
		);
	}
	setCaller(e, `cmd_${fn}+0x24/0x60`);
	const seq = e.eventSeq;
	const made: number[] = [];
	let where = '';
	let error: string | null = null;
	for (let i = 0; i < c.count; i++) {
		let obj: number;
		let from = cache;
		if (cache >= 0) {
			obj = kmallocFromCache(e, cache, c.size, gfp, c.cpu);
			if (obj === NIL) error = `out of memory: ${e.caches[cache].name} could not grow`;
		} else {
			const r = kmalloc(e, c.size, gfp, c.cpu);
			obj = r.obj;
			from = r.cache;
			error = r.error;
		}
		if (obj === NIL) break;
		made.push(newHandle(k, {address: obj, cache: from, size: c.size, how: c.isZero ? 'kzalloc' : 'kmalloc'}));
		where =
			from < 0
				? `large kmalloc: an order-${orderOf(c.size)} compound page (${1 << orderOf(c.size)} pages) from the buddy allocator`
				: e.caches[from].name;
	}
	if (made.length === 0) return fail(`${call} = NULL: ${error ?? 'out of memory'}${reportsSince(e, seq)}`);
	const first = k.handles.get(made[0])!;
	const handles = made.length === 1 ? `#${made[0]}` : `#${made[0]}-#${made[made.length - 1]}`;
	const short = made.length < c.count ? `; only ${made.length} of ${c.count}: ${error ?? 'out of memory'}` : '';
	const head =
		made.length === 1
			? `${call} = ${addrText(first.address)} ${handles}`
			: `${call} ×${made.length}: ${handles}, first at ${addrText(first.address)}`;
	return ok(`${head} (${where}, CPU ${c.cpu})${short}`);
}

const orderOf = (size: number): number => Math.max(0, Math.ceil(Math.log2(Math.ceil(size / PAGE_SIZE))));

function freeStatusText(status: FreeStatus): string {
	switch (status) {
		case FreeStatus.NotSlab:
			return 'not a slab object nor a large kmalloc';
		case FreeStatus.BadPointer:
			return 'not the start of an object';
		case FreeStatus.DoubleFree:
			return 'the object is already free';
		case FreeStatus.Corrupt:
			return "SLUB's free checks failed; the object was not freed";
		default:
			return 'freed';
	}
}

function kfreeCommand(
	k: KapiState,
	e: Engine,
	target: ObjectTarget,
	cpu: number,
	isKmemCacheFree: boolean,
	onFreed: (address: number) => void,
): CommandOutcome {
	const fn = isKmemCacheFree ? 'kmem_cache_free' : 'kfree';
	if (cpu >= e.cpus) return fail(`CPU ${cpu} does not exist: the machine has CPUs 0-${e.cpus - 1} (--cpu C)`);
	const r = resolve(k, target);
	if ('ok' in r) return r;
	if (r.address === ZERO_SIZE_PTR && target.kind === 'address') return ok(`${fn}(ZERO_SIZE_PTR): nothing to free`);
	if (k.rcu.some(entry => entry.address === r.address))
		return fail(`${fn} ${target.text}: a kfree_rcu of it is pending; it frees itself after the grace period`);
	const where = whereIs(e, r.address);
	const name = where.kind === 'slab' ? e.caches[where.cache].name : '';
	if (r.entry === null && where.kind === 'slab' && where.isStart && !where.isFree) {
		return fail(
			`${fn}(${addrText(r.address)}): a live ${name} object the command bar did not allocate (a workload's or the boot's); the command bar frees only its own (objects lists them)`,
		);
	}
	if (r.entry === null && where.kind === 'large' && r.address === where.frame << PAGE_SHIFT) {
		return fail(
			`${fn}(${addrText(r.address)}): a large kmalloc the command bar did not allocate; it frees only its own`,
		);
	}
	setCaller(e, `cmd_${fn}+0x1c/0x40`);
	const seq = e.eventSeq;
	if (isKmemCacheFree && where.kind === 'slab') {
		const cache = r.entry !== null && r.entry.cache > 0 ? r.entry.cache : where.cache;
		const status = freeChecked(e, cache, r.address, cpu);
		if (status === FreeStatus.Ok || status === FreeStatus.WrongCache) onFreed(r.address);
		const text =
			`${fn}(${e.caches[cache].name}, ${addrText(r.address)}) ${target.kind === 'handle' ? target.text : ''}`.trimEnd();
		return status === FreeStatus.Ok || status === FreeStatus.WrongCache
			? ok(`${text}: freed to ${name}${reportsSince(e, seq)}`)
			: fail(`${text}: ${freeStatusText(status)}${reportsSince(e, seq)}`);
	}
	const result = kfreeAny(e, r.address, cpu);
	if (result.status === FreeStatus.Ok || result.status === FreeStatus.WrongCache) onFreed(r.address);
	const text = `${fn}(${addrText(r.address)})${target.kind === 'handle' ? ` ${target.text}` : ''}`;
	if (result.status !== FreeStatus.Ok && result.status !== FreeStatus.WrongCache)
		return fail(`${text}: ${freeStatusText(result.status)}${reportsSince(e, seq)}`);
	const what = result.pages > 0 ? `${result.pages} pages back to the buddy allocator` : `freed to ${name}`;
	return ok(`${text}: ${what}${reportsSince(e, seq)}`);
}

function kreallocCommand(
	k: KapiState,
	e: Engine,
	c: Extract<KapiCommand, {kind: 'krealloc'}>,
	onFreed: (address: number) => void,
): CommandOutcome {
	if (c.cpu >= e.cpus) return fail(`CPU ${c.cpu} does not exist: the machine has CPUs 0-${e.cpus - 1} (--cpu C)`);
	const r = resolve(k, c.target);
	if ('ok' in r) return r;
	const call = `krealloc(${addrText(r.address)}, ${c.size}, ${gfpText(c.gfp)})`;
	const where = whereIs(e, r.address);
	const isLive =
		(where.kind === 'slab' && where.isStart && !where.isFree) ||
		(where.kind === 'large' && r.address === where.frame << PAGE_SHIFT);
	if (!isLive) return fail(`${call}: ${c.target.text} is not a live kmalloc object (objects shows its state)`);
	if (c.size === 0)
		return fail(`${call}: krealloc to 0 frees the object and returns ZERO_SIZE_PTR; write kfree ${c.target.text}`);
	if (c.size > KMALLOC_MAX_SIZE) return fail(`${call}: more than KMALLOC_MAX_SIZE (${KMALLOC_MAX_SIZE} bytes)`);
	if (k.rcu.some(entry => entry.address === r.address)) return fail(`${call}: a kfree_rcu of it is pending`);
	setCaller(e, 'cmd_krealloc+0x30/0x80');
	const seq = e.eventSeq;
	const before = where.kind === 'slab' ? e.caches[where.cache].name : 'a large kmalloc';
	const result = krealloc(e, r.address, c.size, c.gfp, c.cpu);
	if (result.obj === NIL)
		return fail(`${call} = NULL: ${result.error ?? 'out of memory'}; the old object stays${reportsSince(e, seq)}`);
	if (result.isMoved) onFreed(r.address);
	const cache = e.pgCache[result.obj >> PAGE_SHIFT];
	const handle =
		r.entry ??
		k.handles.get(newHandle(k, {address: result.obj, cache: cache > 0 ? cache : -1, size: c.size, how: 'krealloc'}))!;
	handle.address = result.obj;
	handle.cache = cache > 0 ? cache : -1;
	handle.size = c.size;
	const after = cache > 0 ? e.caches[cache].name : 'a large kmalloc';
	const how = result.isMoved
		? `moved from ${before} to ${after}, the old object freed`
		: `in place: ${c.size} bytes fit ${before}'s object`;
	return ok(`${call} = ${addrText(result.obj)} #${handle.handle} (${how})${reportsSince(e, seq)}`);
}

function kfreeRcuCommand(k: KapiState, e: Engine, target: ObjectTarget): CommandOutcome {
	const r = resolve(k, target);
	if ('ok' in r) return r;
	const where = whereIs(e, r.address);
	const isLive =
		(where.kind === 'slab' && where.isStart && !where.isFree) ||
		(where.kind === 'large' && r.address === where.frame << PAGE_SHIFT);
	if (!isLive)
		return fail(`kfree_rcu(${addrText(r.address)}): ${target.text} is not a live object (objects shows its state)`);
	if (k.rcu.some(entry => entry.address === r.address))
		return fail(`kfree_rcu(${addrText(r.address)}): already queued`);
	const dueTick = e.tick + RCU_GRACE_TICKS;
	k.rcu.push({handle: r.entry?.handle ?? 0, address: r.address, dueTick});
	return ok(
		`kfree_rcu(${addrText(r.address)}) ${target.text}: stays allocated until the grace period ends at tick ${dueTick} (${RCU_GRACE_TICKS} ticks), then kfree`,
	);
}

/** The RCU callbacks whose grace period ended by now: kfree each. Returns the answers for the log. */
export function processRcu(k: KapiState, e: Engine): string[] {
	if (k.rcu.length === 0) return [];
	const out: string[] = [];
	const keep: RcuEntry[] = [];
	for (const entry of k.rcu) {
		if (entry.dueTick > e.tick) {
			keep.push(entry);
			continue;
		}
		setCaller(e, 'kfree_rcu_work+0x1d0/0x2f0');
		const result = kfreeAny(e, entry.address, 0);
		out.push(
			`kfree_rcu ${addrText(entry.address)}${entry.handle > 0 ? ` #${entry.handle}` : ''}: grace period over, ${freeStatusText(result.status)}`,
		);
	}
	k.rcu = keep;
	return out;
}

/** kvfree_rcu_barrier_on_cache(): run the pending kfree_rcu of `cache`'s objects now. */
export function flushRcu(k: KapiState, e: Engine, cache: number): number {
	let n = 0;
	const keep: RcuEntry[] = [];
	for (const entry of k.rcu) {
		if (e.pgCache[entry.address >> PAGE_SHIFT] === cache) {
			kfreeAny(e, entry.address, 0);
			n++;
		} else {
			keep.push(entry);
		}
	}
	k.rcu = keep;
	return n;
}

function stateOf(k: KapiState, e: Engine, h: HandleEntry): {slab: string; state: string} {
	const where = whereIs(e, h.address);
	const pending = k.rcu.find(entry => entry.address === h.address);
	if (where.kind === 'large') {
		const isLive = h.address === where.frame << PAGE_SHIFT && h.cache < 0;
		return {
			slab: `page ${addrText(where.frame << PAGE_SHIFT)}`,
			state: isLive ? (pending ? `allocated, kfree_rcu at tick ${pending.dueTick}` : 'allocated (large)') : 'freed',
		};
	}
	if (where.kind === 'none') return {slab: '-', state: 'freed (its pages went back to the buddy allocator)'};
	const slab = `slab ${addrText(where.slab << PAGE_SHIFT)}`;
	if (h.cache > 0 && where.cache !== h.cache)
		return {slab, state: `freed (now in a slab of ${e.caches[where.cache].name})`};
	if (where.isFree) return {slab, state: 'free'};
	if (pending) return {slab, state: `allocated, kfree_rcu at tick ${pending.dueTick}`};
	const cpu = e.pgCpu[where.slab];
	const list = ['', 'cpu slab', 'cpu partial', 'node partial', 'full'][e.pgState[where.slab]] ?? '';
	const orig = h.cache > 0 && hasOrigSize(e, h.cache) ? `, orig_size ${getOrigSize(e, h.cache, h.address)}` : '';
	return {
		slab: `${slab} (${list}${cpu >= 0 && e.pgState[where.slab] !== SlabState.NodePartial ? ` of CPU ${cpu}` : ''})`,
		state: `allocated${orig}`,
	};
}

function objectsCommand(k: KapiState, e: Engine, cacheName: string | null): CommandOutcome {
	let cache = 0;
	if (cacheName !== null && cacheName !== 'large') {
		cache = findCache(e, cacheName);
		if (cache < 0) return fail(`objects: no cache named ${cacheName} (objects large lists the large kmallocs)`);
	}
	const rows: string[] = [];
	for (const h of k.handles.values()) {
		if (cacheName === 'large' ? h.cache >= 0 : cacheName !== null && h.cache !== cache) continue;
		const {slab, state} = stateOf(k, e, h);
		const from = h.cache > 0 ? e.caches[h.cache].name : 'large';
		rows.push(
			`#${String(h.handle).padEnd(5)} ${addrText(h.address)}  ${from.padEnd(16)} ${h.how.padEnd(8)} ${String(h.size).padStart(7)}  ${slab}  ${state}`,
		);
	}
	const title =
		cacheName === null
			? "the command bar's objects"
			: cacheName === 'large'
				? 'large kmallocs'
				: `${e.caches[cache].name}: ${liveObjects(e, cache)} objects in use, ${e.cacheNrSlabs[cache]} slabs`;
	if (rows.length === 0) return ok(`${title}: no handles (kmalloc, kzalloc or alloc -c make them)`);
	return ok(
		[`${title}; handles:`, `handle address             cache            by          size  slab  state`, ...rows].join(
			'\n',
		),
	);
}

/** Where in its slot an address lies, named as SLUB's object layout comment names the parts. */
function regionOf(e: Engine, cache: number, slab: number, address: number): string {
	const {size, redLeftPad, objectSize, inuse, offset, flags} = e.caches[cache].layout;
	const base = (slab << PAGE_SHIFT) + redLeftPad;
	const slabEnd = (slab << PAGE_SHIFT) + (PAGE_SIZE << e.pgOrder[slab]);
	const index = Math.floor((address - base + redLeftPad) / size);
	if (index >= e.pgObjects[slab] || address < slab << PAGE_SHIFT)
		return address < slabEnd ? "the slab's tail padding" : 'beyond the slab';
	const obj = base + index * size;
	const at = address - obj;
	const of = `object ${addrText(obj)}`;
	if (at < 0) return `the left red zone of ${of}`;
	if (at >= offset && at < offset + 8 && (offset >= inuse || !(flags & 0x6)))
		return `the free pointer of ${of} (offset ${offset})`;
	const orig = getOrigSize(e, cache, obj);
	if (at < orig) return `${of}, byte ${at}`;
	if (at < objectSize) return `the kmalloc red zone of ${of} (orig_size ${orig})`;
	if (at < inuse) return `the right red zone (or word padding) of ${of}`;
	if (at < (e.caches[cache].layout.isFreePointerAfter ? inuse + 8 : inuse))
		return `the free pointer of ${of} (offset ${offset})`;
	return `the metadata or padding of ${of}`;
}

function writeCommand(k: KapiState, e: Engine, c: Extract<KapiCommand, {kind: 'write'}>): CommandOutcome {
	const r = resolve(k, c.target);
	if ('ok' in r) return r;
	const start = r.address + c.offset;
	const end = start + c.bytes.length;
	const hex = c.bytes.map(b => `${b.isXor ? '^' : ''}${b.value.toString(16).padStart(2, '0')}`).join(' ');
	const where = whereIs(e, start);
	const lastWhere = whereIs(e, end - 1);
	if (where.kind === 'none' || lastWhere.kind === 'none') {
		return fail(
			`write ${addrText(start)}: not in a slab or a large kmalloc (the simulated kernel would oops on a wild write)`,
		);
	}
	if (where.kind === 'slab' && (lastWhere.kind !== 'slab' || lastWhere.slab !== where.slab)) {
		return fail(`write ${addrText(start)}+${c.bytes.length}: runs past its slab; write within one slab`);
	}
	if (where.kind === 'slab' && e.cacheIsDebug[where.cache] === 0) {
		// A free object's free pointer in a cache without debug flags: SLUB would follow the
		// wild pointer on the next allocation and crash (FREELIST_HARDENED scrambles it too).
		const {offset, size, redLeftPad} = e.caches[where.cache].layout;
		const base = (where.slab << PAGE_SHIFT) + redLeftPad;
		for (let p = start; p < end; p++) {
			const obj = base + Math.floor((p - base) / size) * size;
			if (p - obj >= offset && p - obj < offset + 8 && isObjectFree(e, where.cache, where.slab, obj)) {
				return fail(
					`write: refused: ${addrText(p)} is the free pointer of free object ${addrText(obj)} in ${e.caches[where.cache].name}, which has no debug checks; the kernel would follow the corrupted pointer and crash. Boot with --debug=F,${e.caches[where.cache].name} (or create the cache with flags=CONSISTENCY_CHECKS) to see SLUB catch it`,
				);
			}
		}
	}
	for (let i = 0; i < c.bytes.length; i++) {
		const {value, isXor} = c.bytes[i];
		e.mem8[start + i] = isXor ? e.mem8[start + i] ^ value : value;
	}
	const region =
		where.kind === 'slab'
			? `${e.caches[where.cache].name}: ${regionOf(e, where.cache, where.slab, start)}`
			: 'a large kmalloc';
	return ok(`wrote ${c.bytes.length} byte${c.bytes.length === 1 ? '' : 's'} (${hex}) at ${addrText(start)}, ${region}`);
}

/** Carry out one kernel-API command. Never throws for anything a user can type. */
export function executeKapi(
	k: KapiState,
	e: Engine,
	command: KapiCommand,
	onFreed: (address: number) => void = () => {},
): CommandOutcome {
	switch (command.kind) {
		case 'kmalloc':
			return kmallocCommand(k, e, command);
		case 'kfree':
			return kfreeCommand(k, e, command.target, command.cpu, false, onFreed);
		case 'free-object':
			return kfreeCommand(k, e, command.target, command.cpu, true, onFreed);
		case 'krealloc':
			return kreallocCommand(k, e, command, onFreed);
		case 'kfree-rcu':
			return kfreeRcuCommand(k, e, command.target);
		case 'objects':
			return objectsCommand(k, e, command.cache);
		case 'write':
			return writeCommand(k, e, command);
	}
}
