import {describe, expect, it} from 'vitest';
import {FreeStatus, freeChecked} from '../../source/engine/index.js';
import {createDemo, demoAlloc, demoFree, demoObjects} from '../../source/workload/demo.js';
import {boot} from './run-helper.js';

describe('the kmem_cache_demo module', () => {
	it('free_object unlinks and counts an object only when the allocator frees it', () => {
		const m = boot();
		const e = m.engine;
		const d = createDemo();
		for (const data of ['a', 'b', 'c']) demoAlloc(e, d, m.demoCache, data, 0);
		const [, b] = demoObjects(e, d); // newest first: c, b, a
		// Something else frees b behind the module's back: the module's free of it is then a double free.
		expect(freeChecked(e, m.demoCache, b.address, 0)).toBe(FreeStatus.Ok);
		expect(demoFree(e, d, m.demoCache, b.id, 0)).toBe('refused');
		// b heads the CPU freelist it went back to: FREELIST_HARDENED's naive check catches it.
		expect(e.events.at(-1)?.text.split('\n')[1]).toBe(
			'kernel BUG at mm/slub.c: set_freepointer(): BUG_ON(object == fp)',
		);
		expect(d.totalFreed).toBe(0);
		expect(demoObjects(e, d).map(o => o.data)).toEqual(['c', 'b', 'a']);
		expect(demoFree(e, d, m.demoCache, 0, 0)).toBe('freed');
		expect(d.totalFreed).toBe(1);
		expect(demoObjects(e, d).map(o => o.data)).toEqual(['c', 'b']);
		expect(demoFree(e, d, m.demoCache, 0, 0)).toBe('not-found');
	});
});
