// Intrusive doubly linked lists of frames through the memmap's pgNext/pgPrev (the list_head
// in struct page): the buddy free areas (one list per order), the node partial lists and the
// node full lists (one per cache). A list is a slot `i` of a head and a tail array; NIL ends it.
// Callers keep their own counts (nr_free, nr_partial).

import {NIL} from './constants.js';
import type {Engine} from './engine.js';

/** list_add() (head) or list_add_tail(). */
export function listAdd(e: Engine, head: Int32Array, tail: Int32Array, i: number, f: number, isTail: boolean): void {
	const {pgNext, pgPrev} = e;
	if (isTail) {
		pgNext[f] = NIL;
		pgPrev[f] = tail[i];
		if (tail[i] !== NIL) pgNext[tail[i]] = f;
		else head[i] = f;
		tail[i] = f;
	} else {
		pgPrev[f] = NIL;
		pgNext[f] = head[i];
		if (head[i] !== NIL) pgPrev[head[i]] = f;
		else tail[i] = f;
		head[i] = f;
	}
}

/** list_del(). */
export function listDel(e: Engine, head: Int32Array, tail: Int32Array, i: number, f: number): void {
	const {pgNext, pgPrev} = e;
	const n = pgNext[f];
	const p = pgPrev[f];
	if (p !== NIL) pgNext[p] = n;
	else head[i] = n;
	if (n !== NIL) pgPrev[n] = p;
	else tail[i] = p;
	pgNext[f] = NIL;
	pgPrev[f] = NIL;
}
