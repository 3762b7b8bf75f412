// Trace records as text: the kernel's kmem tracepoint lines (include/trace/events/kmem.h, 6.x
// TP_printk formats), the SLUB path each operation took in words, and whole trace_pipe lines
// with the simulated timestamp. Main entries: tracepointText(), describePath(), tracePipeLine().
//
//   kmem_cache_alloc: call_site=%pS ptr=%p bytes_req=%zu bytes_alloc=%zu gfp_flags=%s node=%d accounted=%s
//   kmalloc:          call_site=%pS ptr=%p bytes_req=%zu bytes_alloc=%zu gfp_flags=%s node=%d accounted=%s
//   kmem_cache_free:  call_site=%pS ptr=%p name=%s
//   kfree:            call_site=%pS ptr=%p
//
// kmem_cache_alloc() and kmalloc() pass NUMA_NO_NODE (-1) as node. Pointers print as the
// simulated object's address in the x86-64 direct map (ffff888000000000 + physical address),
// as a kernel booted with no_hash_pointers shows them. kmem_cache_shrink() has no tracepoint:
// its line is the simulator's own, named so.

import {MS_PER_TICK, NIL} from './constants.js';
import {SlabState} from './engine.js';
import {STAT_NAMES, Stat} from './stats.js';
import type {TraceRecord} from './trace.js';

/** %p of a simulated address (NIL: a NULL pointer). */
export function kernelPointer(address: number): string {
	if (address === NIL) return '0000000000000000';
	return `ffff888${address.toString(16).padStart(9, '0')}`;
}

/** The tracepoint's event name for a record. */
export function tracepointName(r: TraceRecord): string {
	if (r.op === 'shrink') return 'kmem_cache_shrink';
	if (r.op === 'alloc') return r.isKmalloc ? 'kmalloc' : 'kmem_cache_alloc';
	return r.isKmalloc ? 'kfree' : 'kmem_cache_free';
}

/** `event: fields`, as trace_pipe prints the tracepoint after its timestamp. */
export function tracepointText(r: TraceRecord): string {
	const site = `call_site=${r.callSite}`;
	const ptr = `ptr=${kernelPointer(r.ptr)}`;
	if (r.op === 'shrink')
		return `kmem_cache_shrink: name=${r.cacheName} (simulator event: the kernel has no tracepoint here)`;
	if (r.op === 'alloc') {
		return `${tracepointName(r)}: ${site} ${ptr} bytes_req=${r.bytesReq ?? r.objectSize} bytes_alloc=${r.slotSize} gfp_flags=${r.gfpFlags ?? 'GFP_KERNEL'} node=-1 accounted=${r.isAccounted}`;
	}
	return r.isKmalloc ? `kfree: ${site} ${ptr}` : `kmem_cache_free: ${site} ${ptr} name=${r.cacheName}`;
}

function count(steps: readonly Stat[], s: Stat): number {
	let n = 0;
	for (const x of steps) if (x === s) n++;
	return n;
}

const LIST_NAMES: Readonly<Record<number, string>> = {
	[SlabState.CpuSlab]: 'cpu slab',
	[SlabState.CpuPartial]: 'cpu partial',
	[SlabState.NodePartial]: 'node partial',
	[SlabState.Full]: 'no list (full)',
	[SlabState.None]: 'no list',
};

/** The slab an operation left behind, e.g. `slab 0x00123000 5/16 on node partial`. */
function slabText(r: TraceRecord): string {
	if (r.slab === NIL) return r.op === 'free' ? 'slab freed' : '';
	const where = LIST_NAMES[r.slabState] ?? 'no list';
	return `slab 0x${(r.slab * 4096).toString(16).padStart(8, '0')} ${r.slabInuse}/${r.slabObjects} ${where === 'cpu slab' ? 'frozen (cpu slab)' : `on ${where}`}`;
}

/**
 * The SLUB path in words, in the order the kernel took the steps, e.g.
 * `node partial → cpu slab (+2 to cpu partial)` or `slab full → partial (put_cpu_partial)`.
 */
export function describePath(r: TraceRecord): string {
	if (r.isLarge === true) return largePath(r);
	const steps = r.steps;
	const parts: string[] = [];
	const fromNode = count(steps, Stat.CpuPartialNode);
	for (let i = 0; i < steps.length; i++) {
		const s = steps[i];
		switch (s) {
			case Stat.AllocSlowpath:
			case Stat.FreeSlowpath:
			case Stat.CpuPartialNode:
			case Stat.DeactivateRemoteFrees:
			case Stat.FreeRemovePartial:
				break;
			case Stat.AllocFastpath:
				parts.push('alloc_fastpath (cpu freelist)');
				break;
			case Stat.AllocRefill:
				parts.push('refill from cpu slab freelist');
				break;
			case Stat.DeactivateBypass:
				parts.push('cpu slab full, left on no list (deactivate_bypass)');
				break;
			case Stat.CpuPartialAlloc:
				parts.push('cpu partial → cpu slab');
				break;
			case Stat.AllocFromPartial:
				parts.push(fromNode > 0 ? `node partial → cpu slab (+${fromNode} to cpu partial)` : 'node partial → cpu slab');
				break;
			case Stat.AllocSlab:
				parts.push(`new slab order ${r.op === 'alloc' && r.order >= 0 ? r.order : '?'} from buddy`);
				break;
			case Stat.OrderFallback:
				parts.push('order fallback to min order');
				break;
			case Stat.FreeFastpath:
				parts.push(
					r.chain > 1 ? `free to cpu freelist (bulk: ${r.chain} objects in one push)` : 'free to cpu freelist',
				);
				break;
			case Stat.FreeFrozen:
				parts.push('to the slab freelist of a cpu slab (free_frozen)');
				break;
			case Stat.CpuPartialFree:
				parts.push('slab full → partial (put_cpu_partial)');
				break;
			case Stat.CpuPartialDrain:
				parts.push('cpu partial drained to node');
				break;
			case Stat.FreeAddPartial:
				parts.push('slab → node partial tail');
				break;
			case Stat.FreeSlab:
				if (i > 0 && steps[i - 1] === Stat.DeactivateEmpty) break;
				parts.push(
					steps.includes(Stat.FreeRemovePartial)
						? 'empty slab discarded (nr_partial ≥ min_partial)'
						: 'empty slab discarded',
				);
				break;
			case Stat.DeactivateEmpty:
				parts.push('empty slab discarded (nr_partial ≥ min_partial)');
				break;
			case Stat.DeactivateFull:
				parts.push('deactivate: full slab left on no list');
				break;
			case Stat.DeactivateToHead:
				parts.push('deactivate → node partial head');
				break;
			case Stat.DeactivateToTail:
				parts.push('deactivate → node partial tail (remote frees)');
				break;
			case Stat.CpuslabFlush:
				parts.push('cpu slab flushed');
				break;
			case Stat.AllocPcs:
				parts.push('from the cpu sheaf (alloc_cpu_sheaf)');
				break;
			case Stat.FreePcs:
				parts.push('into the cpu sheaf (free_cpu_sheaf)');
				break;
			case Stat.SheafRefill:
				parts.push('sheaf refilled from the slabs (sheaf_refill)');
				break;
			case Stat.SheafFlush:
				parts.push('sheaf flushed to the slabs (sheaf_flush)');
				break;
			case Stat.SheafAlloc:
				parts.push('new empty sheaf (sheaf_alloc)');
				break;
			case Stat.SheafFree:
				parts.push('empty sheaf freed (sheaf_free)');
				break;
			case Stat.BarnGet:
				parts.push('full sheaf from the barn (barn_get)');
				break;
			case Stat.BarnGetFail:
				parts.push('no full sheaf in the barn (barn_get_fail)');
				break;
			case Stat.BarnPut:
				parts.push('full sheaf to the barn (barn_put)');
				break;
			case Stat.BarnPutFail:
				parts.push('barn full: spare sheaf flushed (barn_put_fail)');
				break;
			default:
				parts.push(STAT_NAMES[s] ?? `stat ${s}`);
		}
	}
	if (r.op === 'alloc') {
		if (r.ptr === NIL) parts.push('failure: no pages (SLUB: Unable to allocate memory)');
		else if (parts.length === 0) parts.push('debug cache: one object from the node partial list');
	} else if (r.op === 'free' && parts.length === 0) {
		parts.push(r.chain > 1 ? `${r.chain} objects to the slab freelist (bulk)` : 'to the slab freelist');
	} else if (r.op === 'shrink') {
		parts.push(`${r.shrinkFreed} empty slab${r.shrinkFreed === 1 ? '' : 's'} released from node partial`);
	}
	const text = collapseRepeats(parts).join('; ');
	const slab = slabText(r);
	return slab === '' ? text : `${text} → ${slab}`;
}

/** A large kmalloc's path: pages straight from (or back to) the buddy allocator. */
function largePath(r: TraceRecord): string {
	if (r.op === 'free') return `free_large_kmalloc: order-${r.order} compound page back to the buddy allocator`;
	if (r.ptr === NIL) return `failure: no free order-${r.order} block (page allocation failure)`;
	return `large kmalloc (__kmalloc_large_node): order-${r.order} compound page from the buddy allocator, not a slab`;
}

/** Runs of the same step (a sheaf refill takes many objects from the cpu freelist) as `step ×N`. */
function collapseRepeats(parts: readonly string[]): string[] {
	const out: string[] = [];
	for (let i = 0; i < parts.length;) {
		let j = i + 1;
		while (j < parts.length && parts[j] === parts[i]) j++;
		out.push(j - i > 1 ? `${parts[i]} ×${j - i}` : parts[i]);
		i = j;
	}
	return out;
}

/** Simulated time of a record: seconds and microseconds (ticks of 10 ms, operations 1 µs apart). */
export function traceTimestamp(r: TraceRecord): string {
	const usec = (r.tick % (1000 / MS_PER_TICK)) * MS_PER_TICK * 1000 + Math.min(r.opInTick, MS_PER_TICK * 1000 - 1);
	const secs = Math.floor((r.tick * MS_PER_TICK) / 1000);
	return `${String(secs).padStart(5)}.${String(usec).padStart(6, '0')}`;
}

/**
 * One trace_pipe line: task-pid, [cpu], flags, timestamp, event and fields, then `# ` and the
 * SLUB path (a comment for anything that parses trace_pipe output).
 */
export function tracePipeLine(r: TraceRecord): string {
	const task = `${'<...>'.padStart(16)}-${String(1).padEnd(7)}`;
	return `${task} [${String(r.cpu).padStart(3, '0')}] ..... ${traceTimestamp(r)}: ${tracepointText(r)}  # ${describePath(r)}`;
}

/** The trace view's path filters, in the order a key cycles through them. */
export const TRACE_PATH_FILTERS = ['all', 'slow', 'new-slab', 'partial', 'discard', 'failure'] as const;
export type TracePathFilter = (typeof TRACE_PATH_FILTERS)[number];

export const TRACE_PATH_FILTER_NAMES: Readonly<Record<TracePathFilter, string>> = {
	all: 'every path',
	slow: 'slow paths only',
	'new-slab': 'new slabs',
	partial: 'partial-list moves',
	discard: 'slabs discarded',
	failure: 'failures',
};

const PARTIAL_STEPS: ReadonlySet<Stat> = new Set([
	Stat.CpuPartialAlloc,
	Stat.AllocFromPartial,
	Stat.CpuPartialNode,
	Stat.CpuPartialFree,
	Stat.CpuPartialDrain,
	Stat.FreeAddPartial,
	Stat.DeactivateToHead,
	Stat.DeactivateToTail,
]);

/** Does the record's path pass the filter? */
export function matchesPathFilter(r: TraceRecord, filter: TracePathFilter): boolean {
	switch (filter) {
		case 'all':
			return true;
		case 'slow': {
			if (r.op === 'shrink') return true;
			const first = r.steps[0];
			if (first === Stat.AllocFastpath || first === Stat.FreeFastpath) return false;
			// A sheaf hit (alloc_cpu_sheaf or free_cpu_sheaf alone) is a fast path too.
			return !(r.steps.length === 1 && (first === Stat.AllocPcs || first === Stat.FreePcs));
		}
		case 'new-slab':
			return r.steps.includes(Stat.AllocSlab);
		case 'partial':
			return r.steps.some(s => PARTIAL_STEPS.has(s));
		case 'discard':
			return r.steps.includes(Stat.FreeSlab) || r.shrinkFreed > 0;
		case 'failure':
			return r.op === 'alloc' && r.ptr === NIL;
	}
}
