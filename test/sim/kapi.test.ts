// The kernel-API commands on the simulator: handles, objects, kfree of what is not ours,
// write's guard, kfree_rcu's grace period, and the answers' wording.

import {describe, expect, it} from 'vitest';
import {answerText} from '../../source/commands/bar-command.js';
import {validateEngine, type Engine} from '../../source/engine/index.js';
import type {LocalSimSource as SimSource} from '../../source/sim/simulator.js';
import {simOf} from '../helpers/config.js';

function sim(): {source: SimSource; e: Engine} {
	const source = simOf({memory: '128M'});
	return {source, e: (source as unknown as {state: {machine: {engine: Engine}}}).state.machine.engine};
}

const say = (source: SimSource, line: string): string => answerText(source.execute(line));

describe('kernel-API commands', () => {
	it('answers kmalloc with the call, the address, the handle and the cache', () => {
		const {source} = sim();
		expect(say(source, 'kmalloc 100')).toMatch(
			/^kmalloc\(100, 0xcc0\(GFP_KERNEL\)\) = 0xffff8880[0-9a-f]{8} #1 \(kmalloc-128, CPU 0\)$/,
		);
		expect(say(source, 'kzalloc 20 gfp=GFP_KERNEL_ACCOUNT --cpu 1')).toMatch(
			/^kzalloc\(20, 0x400cc0\(GFP_KERNEL_ACCOUNT\)\) = 0xffff8880[0-9a-f]{8} #2 \(kmalloc-cg-32, CPU 1\)$/,
		);
		expect(say(source, 'kmalloc 9000')).toMatch(
			/#3 \(large kmalloc: an order-2 compound page \(4 pages\) from the buddy allocator, CPU 0\)$/,
		);
		expect(say(source, 'kmalloc 0')).toBe(
			'kmalloc(0, 0xcc0(GFP_KERNEL)) = ZERO_SIZE_PTR (0x10): nothing is allocated, and kfree of it does nothing',
		);
		expect(source.execute('kmalloc 5000000').ok).toBe(false);
		expect(say(source, 'kmalloc 8 gfp=GFP_ACCOUNT')).toMatch(
			/^col 15: unknown gfp flag "GFP_ACCOUNT" \(the kernel spells it __GFP_ACCOUNT, or GFP_KERNEL_ACCOUNT\)/,
		);
		expect(source.execute('kmalloc 8 --cpu 7').ok).toBe(false); // the machine has 2 CPUs
	});

	it('lists handles with their state as the allocator sees it', () => {
		const {source} = sim();
		source.execute('kmalloc 100 -n 3');
		source.execute('kmalloc 9000');
		source.execute('kfree #2');
		source.execute('kfree_rcu #3');
		const lines = say(source, 'objects').split('\n');
		expect(lines[0]).toBe("the command bar's objects; handles:");
		expect(lines.find(line => line.startsWith('#1 '))).toMatch(
			/kmalloc-128 +kmalloc +100 +slab 0xffff8880[0-9a-f]{8} \(cpu slab of CPU 0\) +allocated$/,
		);
		expect(lines.find(line => line.startsWith('#2 '))).toMatch(/ free$/);
		expect(lines.find(line => line.startsWith('#3 '))).toMatch(/allocated, kfree_rcu at tick 3$/);
		expect(lines.find(line => line.startsWith('#4 '))).toMatch(
			/large +kmalloc +9000 +page 0xffff8880[0-9a-f]{8} +allocated \(large\)$/,
		);
		expect(say(source, 'objects kmalloc-128').split('\n')[0]).toMatch(
			/^kmalloc-128: \d+ objects in use, \d+ slabs; handles:$/,
		);
		expect(say(source, 'objects large').split('\n')).toHaveLength(3);
		source.advance(3); // the grace period ends
		expect(
			say(source, 'objects')
				.split('\n')
				.find(line => line.startsWith('#3 ')),
		).toMatch(/ free$/);
		expect(
			source.events().some(ev => /^kfree_rcu 0xffff8880[0-9a-f]{8} #3: grace period over, freed$/.test(ev.text)),
		).toBe(true);
	});

	it('frees only its own objects, and refuses a pointer inside an object as the kernel would warn', () => {
		const {source, e} = sim();
		const dentry = e.byName.get('dentry')!;
		// A boot object of dentry: the first object of one of its slabs, allocated by nobody here.
		let bootObject = -1;
		for (let f = 0; f < e.nrFrames && bootObject < 0; f++)
			if (e.pgCache[f] === dentry && e.pgHead[f] === f && e.pgInuse[f] > 0) bootObject = f << 12;
		expect(say(source, `kfree 0x${(0xffff888000000000n + BigInt(bootObject)).toString(16)}`)).toMatch(
			/a live dentry object the command bar did not allocate/,
		);
		const address = /= (0xffff8880[0-9a-f]{8})/.exec(say(source, 'kmalloc 64'))![1];
		const inside = `0xffff8880${(Number.parseInt(address.slice(10), 16) + 8).toString(16).padStart(8, '0')}`;
		const refused = say(source, `kfree ${inside}`);
		expect(refused.split('\n')[0]).toMatch(/: not the start of an object$/);
		expect(refused).toMatch(/is not the start of an object: refused/);
		expect(say(source, `kfree ${address}`)).toMatch(/freed to kmalloc-64$/);
		expect(source.execute('kfree #9').ok).toBe(false);
		expect(validateEngine(e)).toEqual([]);
	});

	it('will not write over the free pointer of a free object of a cache without debug flags', () => {
		const {source, e} = sim();
		source.execute('create plain 64 flags=NO_MERGE');
		source.execute('alloc -c plain -n 2');
		source.execute('free #2');
		const refused = source.execute('write #2 32 00'); // 64-byte objects keep it in the middle
		expect(refused.ok).toBe(false);
		expect(answerText(refused)).toMatch(
			/^write: refused: 0xffff8880[0-9a-f]{8} is the free pointer of free object 0xffff8880[0-9a-f]{8} in plain, which has no debug checks/,
		);
		expect(say(source, 'write #2 0 41')).toMatch(
			/^wrote 1 byte \(41\) at 0xffff8880[0-9a-f]{8}, plain: object 0xffff8880[0-9a-f]{8}, byte 0$/,
		);
		expect(say(source, 'write #1 64 12')).toMatch(/^wrote 1 byte \(12\)/); // into the next object, #2 itself: its byte 0
		expect(say(source, 'write #1 0 zz')).toMatch(/is not hex bytes/);
		expect(validateEngine(e)).toEqual([]);
	});

	it('krealloc keeps the handle and says whether the object moved', () => {
		const {source} = sim();
		source.execute('kmalloc 48');
		expect(say(source, 'krealloc #1 60')).toMatch(/#1 \(in place: 60 bytes fit kmalloc-64's object\)$/);
		expect(say(source, 'krealloc #1 100')).toMatch(
			/#1 \(moved from kmalloc-64 to kmalloc-128, the old object freed\)$/,
		);
		expect(
			say(source, 'objects')
				.split('\n')
				.find(line => line.startsWith('#1 ')),
		).toMatch(/kmalloc-128/);
		source.execute('kfree #1');
		expect(source.execute('krealloc #1 200').ok).toBe(false); // freed: not a live object
	});

	it('alloc -c hands out handles that free takes one by one', () => {
		const {source, e} = sim();
		expect(say(source, 'alloc -c kmalloc-256 -n 3')).toBe(
			'allocated 3 kmalloc-256 objects on CPU 0 (#1-#3; the command bar holds 3)',
		);
		expect(say(source, 'free #2')).toMatch(
			/^kmem_cache_free\(kmalloc-256, 0xffff8880[0-9a-f]{8}\) #2: freed to kmalloc-256$/,
		);
		expect(say(source, 'free -c kmalloc-256 -n 2')).toBe(
			'freed 2 kmalloc-256 objects on CPU 0 (the command bar holds 0)',
		);
		expect(validateEngine(e)).toEqual([]);
	});
});
