// The kmem_cache_demo kernel module, simulated: its demo_objects cache holds
//   struct demo_object { struct list_head list; spinlock_t lock; int id;
//                        unsigned long created_at; char data[64]; unsigned long access_count; };
// laid out in the simulated memory at the offsets below (x86-64), its constructor initialises
// the lock, the list head and the access count when a slab is made, and its /proc interface
// (alloc <data>, free <id>, access <id>, freeall, and the statistics listing) is reproduced
// here. The object list is a real intrusive list in the simulated memory: `list.next` and
// `list.prev` hold object addresses (NIL at the ends), newest first, as list_add() leaves it.
// Main entries: demoCtor, createDemo(), demoAlloc(), demoFree(), demoAccess(), demoFreeAll(),
// demoShow(), demoObjects().

import {NIL, freeChecked, FreeStatus, allocObject, type Ctor, type Engine} from '../engine/index.js';

export const DEMO_CACHE = 'demo_objects';

const LIST_NEXT = 0;
const LIST_PREV = 8;
const LOCK = 16;
const ID = 20;
const CREATED_AT = 24;
const DATA = 32;
const DATA_SIZE = 64;
const ACCESS_COUNT = 96;

const get = (e: Engine, obj: number, offset: number): number => e.mem32[(obj + offset) >> 2];
const set = (e: Engine, obj: number, offset: number, value: number): void => {
	e.mem32[(obj + offset) >> 2] = value;
	e.mem32[(obj + offset + 4) >> 2] = value < 0 ? -1 : 0; // the upper half of the 64-bit field
};

/** object_ctor(): spin_lock_init, INIT_LIST_HEAD, access_count = 0. */
export const demoCtor: Ctor = {
	name: 'object_ctor',
	run(e, obj) {
		e.mem32[(obj + LOCK) >> 2] = 0;
		set(e, obj, LIST_NEXT, obj);
		set(e, obj, LIST_PREV, obj);
		set(e, obj, ACCESS_COUNT, 0);
	},
};

export type DemoState = {
	head: number; // first object of object_list, NIL when empty
	nextId: number;
	totalAllocated: number;
	totalFreed: number;
};

export type DemoObjectView = {id: number; address: number; data: string; accessCount: number; allocatedTick: number};

export function createDemo(): DemoState {
	return {head: NIL, nextId: 0, totalAllocated: 0, totalFreed: 0};
}

function writeData(e: Engine, obj: number, data: string): void {
	const bytes = new TextEncoder().encode(data).subarray(0, DATA_SIZE - 1); // strscpy
	e.mem8.fill(0, obj + DATA, obj + DATA + DATA_SIZE);
	e.mem8.set(bytes, obj + DATA);
}

function readData(e: Engine, obj: number): string {
	let end = obj + DATA;
	while (end < obj + DATA + DATA_SIZE && e.mem8[end] !== 0) end++;
	return new TextDecoder().decode(e.mem8.subarray(obj + DATA, end));
}

/** alloc_object(): the new object's id, or -1 on ENOMEM. */
export function demoAlloc(e: Engine, d: DemoState, cache: number, data: string, cpu: number): number {
	const obj = allocObject(e, cache, cpu);
	if (obj === NIL) return -1;
	const id = d.nextId++;
	e.mem32[(obj + ID) >> 2] = id; // int: 4 bytes
	set(e, obj, CREATED_AT, e.tick);
	writeData(e, obj, data);
	set(e, obj, ACCESS_COUNT, 0);
	// list_add(&obj->list, &object_list)
	set(e, obj, LIST_NEXT, d.head);
	set(e, obj, LIST_PREV, NIL);
	if (d.head !== NIL) set(e, d.head, LIST_PREV, obj);
	d.head = obj;
	d.totalAllocated++;
	return id;
}

/** find_object(): the object with that id, or NIL. */
function demoFind(e: Engine, d: DemoState, id: number): number {
	for (let obj = d.head; obj !== NIL; obj = get(e, obj, LIST_NEXT)) if (get(e, obj, ID) === id) return obj;
	return NIL;
}

/** list_del() of the object whose links were `prev` and `next`. */
function unlinkBetween(e: Engine, d: DemoState, prev: number, next: number): void {
	if (prev === NIL) d.head = next;
	else set(e, prev, LIST_NEXT, next);
	if (next !== NIL) set(e, next, LIST_PREV, prev);
}

function unlink(e: Engine, d: DemoState, obj: number): void {
	unlinkBetween(e, d, get(e, obj, LIST_PREV), get(e, obj, LIST_NEXT));
}

/** What free_object() did: freed it, found no object with that id, or the allocator refused the free. */
export type DemoFreeResult = 'freed' | 'not-found' | 'refused';

/**
 * free_object(). The free is checked first: an object the allocator refuses to free (its
 * checks reported why in the event log) stays on the list and is not counted as freed.
 */
export function demoFree(e: Engine, d: DemoState, cache: number, id: number, cpu: number): DemoFreeResult {
	const obj = demoFind(e, d, id);
	if (obj === NIL) return 'not-found';
	// Read the links before the free: a freed object's memory belongs to the allocator.
	const prev = get(e, obj, LIST_PREV);
	const next = get(e, obj, LIST_NEXT);
	if (freeChecked(e, cache, obj, cpu) !== FreeStatus.Ok) return 'refused';
	unlinkBetween(e, d, prev, next);
	d.totalFreed++;
	return 'freed';
}

/** access_object(): the new access count, or -1 when no object has that id. */
export function demoAccess(e: Engine, d: DemoState, id: number): number {
	const obj = demoFind(e, d, id);
	if (obj === NIL) return -1;
	const count = get(e, obj, ACCESS_COUNT) + 1;
	set(e, obj, ACCESS_COUNT, count);
	return count;
}

/** free_all_objects(): how many were freed. */
export function demoFreeAll(e: Engine, d: DemoState, cache: number, cpu: number): number {
	let n = 0;
	while (d.head !== NIL) {
		const obj = d.head;
		unlink(e, d, obj);
		if (freeChecked(e, cache, obj, cpu) !== FreeStatus.Ok) continue;
		d.totalFreed++;
		n++;
	}
	return n;
}

/** The live objects in list order (newest first). */
export function demoObjects(e: Engine, d: DemoState): DemoObjectView[] {
	const out: DemoObjectView[] = [];
	for (let obj = d.head; obj !== NIL; obj = get(e, obj, LIST_NEXT)) {
		out.push({
			id: get(e, obj, ID),
			address: obj,
			data: readData(e, obj),
			accessCount: get(e, obj, ACCESS_COUNT),
			allocatedTick: get(e, obj, CREATED_AT),
		});
	}
	return out;
}

/** stats_show(): the module's /proc/kmem_cache_demo text. */
/** The module's object lines under "Active Objects:" (stats_show), or `  (none)`. */
export function demoObjectLines(objects: readonly DemoObjectView[], tick: number, msPerTick: number): string[] {
	if (objects.length === 0) return ['  (none)'];
	return objects.map(
		o =>
			`  [${o.id}] data='${o.data}' age=${Math.max(0, tick - o.allocatedTick) * msPerTick} ms accesses=${o.accessCount}`,
	);
}

export function demoShow(e: Engine, d: DemoState, cache: number, msPerTick: number): string {
	const lines = [
		'Slab Cache Demo Statistics',
		'==========================',
		'',
		`Cache name: ${DEMO_CACHE}`,
		`Object size: ${e.caches[cache].layout.objectSize} bytes`,
		`Total allocated: ${d.totalAllocated}`,
		`Total freed: ${d.totalFreed}`,
		`Currently active: ${d.totalAllocated - d.totalFreed}`,
		'',
		'Active Objects:',
	];
	lines.push(...demoObjectLines(demoObjects(e, d), e.tick, msPerTick));
	lines.push(
		'',
		'Commands:',
		'  alloc <data> - Allocate new object',
		'  free <id>    - Free object by ID',
		'  access <id>  - Increment access count',
		'  freeall      - Free all objects',
	);
	return lines.join('\n');
}
