// The kernel's own SLUB tests (lib/tests/slub_kunit.c, Linux 6.18) replayed as --exec scripts:
// each case creates its cache with the flags the kernel test passes, makes the same
// allocation, the same deliberate corruption (`write`, in or beyond the object), and asks the
// same question (`validate`, `destroy`, `krealloc`). Each asserts what the kernel test asserts:
// the count of errors SLUB reports (slub_kunit's slab_errors: one per BUG, overwritten range
// and FIX) and, for a detection, the report's first line in the kernel's words.

import {describe, expect, it} from 'vitest';
import {validateEngine, type Engine} from '../../source/engine/index.js';
import type {LocalSimSource as SimSource} from '../../source/sim/simulator.js';
import {simOf} from '../helpers/config.js';

type Answer = {command: string; ok: boolean; text: string};

/** Run `script` (--exec text, --keep-going) on a fresh simulator: its answers and the machine. */
function run(script: string, flags: Record<string, string> = {}): {answers: Answer[]; source: SimSource; e: Engine} {
	const source = simOf({memory: '128M', exec: script, ...flags}, {keepGoing: true});
	const e = (source as unknown as {state: {machine: {engine: Engine}}}).state.machine.engine;
	return {answers: source.execAnswers, source, e};
}

/** The answer to the command that starts with `prefix` (the n-th such, from 0). */
function answerOf(answers: Answer[], prefix: string, n = 0): Answer {
	const found = answers.filter(answer => answer.command.startsWith(prefix))[n];
	if (found === undefined) throw new Error(`no answer to ${prefix}`);
	return found;
}

/** The slab_errors a `validate` or `destroy` answer counts (0 when it found none). */
function errorsOf(answer: Answer): number {
	if (answer.ok) return 0;
	const match = /(\d+) errors? reported/.exec(answer.text);
	if (match === null) throw new Error(`no error count in: ${answer.text.split('\n')[0]}`);
	return Number(match[1]);
}

/** The first line of the first report after the answer's headline. */
const firstReportLine = (answer: Answer): string => answer.text.split('\n')[1];

/** The bytes [from, to) of the object a handle names. */
function bytes(source: SimSource, e: Engine, handle: number, from: number, to: number): number[] {
	const match = /0xffff8880([0-9a-f]{8})/.exec(source.execute('objects').ok ? objectLine(source, handle) : '');
	if (match === null) throw new Error(`no object #${handle}`);
	const address = Number.parseInt(match[1], 16);
	return [...e.mem8.subarray(address + from, address + to)];
}

function objectLine(source: SimSource, handle: number): string {
	const answer = source.execute('objects');
	const text = answer.ok ? answer.value : answer.error.message;
	return text.split('\n').find(line => line.startsWith(`#${handle} `)) ?? '';
}

const ADDRESS = '0xffff8880[0-9a-f]{8}';

describe('lib/tests/slub_kunit.c (6.18) as --exec scripts', () => {
	it('test_clobber_zone: a byte past a RED_ZONE object is found by validate, 2 errors', () => {
		const {answers} = run(
			'create TestSlub_RZ_alloc 64 flags=RED_ZONE|NO_USER_FLAGS; alloc -c TestSlub_RZ_alloc; write #1 64 12; validate TestSlub_RZ_alloc; free #1; destroy TestSlub_RZ_alloc',
		);
		const validate = answerOf(answers, 'validate');
		expect(errorsOf(validate)).toBe(2);
		expect(firstReportLine(validate)).toMatch(
			new RegExp(
				`^\\[Right Redzone overwritten\\] ${ADDRESS}-${ADDRESS} @offset=\\d+\\. First byte 0x12 instead of 0xcc$`,
			),
		);
		expect(validate.text).toMatch(
			/\nFIX TestSlub_RZ_alloc: Restoring Right Redzone 0x[0-9a-f]{16}-0x[0-9a-f]{16}=0xcc/,
		);
		expect(answerOf(answers, 'free').ok).toBe(true); // restored: the free goes through
		expect(answerOf(answers, 'destroy')).toMatchObject({ok: true, text: 'destroyed TestSlub_RZ_alloc'});
	});

	it('test_next_pointer: a flipped free pointer gives 3 errors, restoring it 2, then none', () => {
		const {source, e} = run(
			'create TestSlub_next_ptr_free 64 flags=POISON|NO_USER_FLAGS; alloc -c TestSlub_next_ptr_free; free #1',
		);
		const tmp = bytes(source, e, 1, 64, 72); // the free pointer (POISON puts it after the object, at s->offset 64)
		const say = (line: string): Answer => {
			const answer = source.execute(line);
			return {command: line, ok: answer.ok, text: answer.ok ? answer.value : answer.error.message};
		};
		expect(say('write #1 64 ^ff').text).toMatch(/the free pointer of object/); // p[s->offset] = ~p[s->offset]
		const first = say('validate TestSlub_next_ptr_free');
		expect(errorsOf(first)).toBe(3); // the cut freechain, the wrong in-use count and its FIX
		expect(first.text.split('\n').slice(1, 3)).toEqual([
			'=============================================================================',
			'BUG TestSlub_next_ptr_free (Not tainted): Freechain corrupt',
		]);
		expect(first.text).toMatch(
			/BUG TestSlub_next_ptr_free \(Not tainted\): Wrong object count\. Counter is 0 but counted were \d+/,
		);
		expect(first.text).toContain('FIX TestSlub_next_ptr_free: Object count adjusted');
		say(`write #1 64 ${tmp.map(b => b.toString(16).padStart(2, '0')).join('')}`); // *ptr_addr = tmp
		const second = say('validate TestSlub_next_ptr_free');
		expect(errorsOf(second)).toBe(2); // the count the first validate adjusted is wrong again, and its FIX
		expect(second.text).toMatch(/Wrong object count\. Counter is \d+ but counted were 0/);
		expect(say('validate TestSlub_next_ptr_free').ok).toBe(true);
		expect(say('destroy TestSlub_next_ptr_free').ok).toBe(true);
		expect(validateEngine(e)).toEqual([]);
	});

	it('test_first_word: a write to the first word of a freed POISON object, 2 errors', () => {
		const {answers} = run(
			'create TestSlub_1th_word_free 64 flags=POISON|NO_USER_FLAGS; alloc -c TestSlub_1th_word_free; free #1; write #1 0 78; validate TestSlub_1th_word_free; destroy TestSlub_1th_word_free',
		);
		const validate = answerOf(answers, 'validate');
		expect(errorsOf(validate)).toBe(2);
		expect(firstReportLine(validate)).toMatch(
			new RegExp(`^\\[Poison overwritten\\] ${ADDRESS}-${ADDRESS} @offset=0\\. First byte 0x78 instead of 0x6b$`),
		);
	});

	it('test_clobber_50th_byte: byte 50 of a freed POISON object, 2 errors', () => {
		const {answers} = run(
			'create TestSlub_50th_word_free 64 flags=POISON|NO_USER_FLAGS; alloc -c TestSlub_50th_word_free; free #1; write #1 50 9a; validate TestSlub_50th_word_free; destroy TestSlub_50th_word_free',
		);
		const validate = answerOf(answers, 'validate');
		expect(errorsOf(validate)).toBe(2);
		expect(firstReportLine(validate)).toMatch(
			new RegExp(`^\\[Poison overwritten\\] ${ADDRESS}-${ADDRESS} @offset=50\\. First byte 0x9a instead of 0x6b$`),
		);
	});

	it('test_clobber_redzone_free: the red zone of a freed object, 2 errors', () => {
		const {answers} = run(
			'create TestSlub_RZ_free 64 flags=RED_ZONE|NO_USER_FLAGS; alloc -c TestSlub_RZ_free; free #1; write #1 64 ab; validate TestSlub_RZ_free; destroy TestSlub_RZ_free',
		);
		const validate = answerOf(answers, 'validate');
		expect(errorsOf(validate)).toBe(2);
		expect(firstReportLine(validate)).toMatch(/^\[Right Redzone overwritten\] .* First byte 0xab instead of 0xbb$/);
		expect(answerOf(answers, 'destroy').ok).toBe(true);
	});

	it('test_kmalloc_redzone_access: bytes 18 and 19 of an 18-byte kmalloc in a 32-byte object, 2 errors', () => {
		const {answers} = run(
			'create TestSlub_RZ_kmalloc 32 flags=KMALLOC|STORE_USER|RED_ZONE|NO_USER_FLAGS; kmalloc 18 -c TestSlub_RZ_kmalloc; write #1 18 ab ab; validate TestSlub_RZ_kmalloc; kfree #1; destroy TestSlub_RZ_kmalloc',
		);
		const validate = answerOf(answers, 'validate');
		expect(errorsOf(validate)).toBe(2);
		expect(firstReportLine(validate)).toMatch(
			new RegExp(
				`^\\[kmalloc Redzone overwritten\\] ${ADDRESS}-${ADDRESS} @offset=\\d+\\. First byte 0xab instead of 0xcc$`,
			),
		);
		expect(answerOf(answers, 'kfree').ok).toBe(true);
	});

	it('test_kfree_rcu: kfree_rcu, then destroy waits for the grace period, no errors', () => {
		const {answers} = run(
			'create TestSlub_kfree_rcu 16 flags=NO_MERGE|NO_USER_FLAGS; alloc -c TestSlub_kfree_rcu; kfree_rcu #1; destroy TestSlub_kfree_rcu',
		);
		expect(answerOf(answers, 'kfree_rcu').text).toMatch(/stays allocated until the grace period ends at tick 3/);
		expect(answerOf(answers, 'destroy')).toMatchObject({ok: true, text: 'destroyed TestSlub_kfree_rcu'});
	});

	it('test_kfree_rcu_wq_destroy: ten rounds of create, alloc, kfree_rcu, destroy, no errors', () => {
		const round =
			'create TestSlub_kfree_rcu_wq_destroy 16 flags=NO_MERGE|NO_USER_FLAGS; alloc -c TestSlub_kfree_rcu_wq_destroy; kfree_rcu #{n}; destroy TestSlub_kfree_rcu_wq_destroy';
		const script = Array.from({length: 10}, (_, i) => round.replace('{n}', String(i + 1))).join('; ');
		const {answers, e} = run(script);
		expect(answers.every(answer => answer.ok)).toBe(true);
		expect(answers.filter(answer => answer.text === 'destroyed TestSlub_kfree_rcu_wq_destroy')).toHaveLength(10);
		expect(validateEngine(e)).toEqual([]);
	});

	it('test_leak_destroy: destroy with an object left reports it, 2 errors, and leaks the cache', () => {
		const {answers, source} = run(
			'create TestSlub_leak_destroy 64 flags=NO_MERGE|NO_USER_FLAGS; alloc -c TestSlub_leak_destroy; destroy TestSlub_leak_destroy',
		);
		const destroy = answerOf(answers, 'destroy');
		expect(errorsOf(destroy)).toBe(2); // Objects remaining, and the object
		expect(destroy.text.split('\n').slice(1, 3)).toEqual([
			'=============================================================================',
			'BUG TestSlub_leak_destroy (Not tainted): Objects remaining on __kmem_cache_shutdown()',
		]);
		expect(destroy.text).toContain(
			'kmem_cache_destroy TestSlub_leak_destroy: Slab cache still has objects when called from',
		);
		const sample = source.sample();
		expect(sample.ok && sample.value.rows.find(r => r.name === 'TestSlub_leak_destroy')?.activeObjs).toBe(1); // still listed
	});

	it('test_krealloc_redzone_zeroing: shrink and grow in place keep the kmalloc red zone, growing past it moves', () => {
		const {answers, source, e} = run(
			`create TestSlub_krealloc 64 flags=KMALLOC|STORE_USER|RED_ZONE|NO_USER_FLAGS; kmalloc 48 -c TestSlub_krealloc; write #1 0 ${'ff'.repeat(48)}; krealloc #1 40 gfp=GFP_KERNEL|__GFP_ZERO`,
		);
		expect(answerOf(answers, 'krealloc').text).toMatch(/in place/);
		expect(bytes(source, e, 1, 40, 64).every(b => b === 0xcc)).toBe(true); // red zone from 40 on
		source.execute('krealloc #1 56 gfp=GFP_KERNEL|__GFP_ZERO');
		expect(bytes(source, e, 1, 40, 56).every(b => b === 0)).toBe(true);
		expect(bytes(source, e, 1, 56, 64).every(b => b === 0xcc)).toBe(true);
		expect(source.execute('validate TestSlub_krealloc').ok).toBe(true); // 0 errors
		source.execute(`write #1 0 ${'ff'.repeat(56)}`);
		const moved = source.execute('krealloc #1 112 gfp=GFP_KERNEL|__GFP_ZERO');
		expect(moved.ok && moved.value).toMatch(/moved from TestSlub_krealloc to kmalloc-128/);
		expect(bytes(source, e, 1, 0, 56).every(b => b === 0xff)).toBe(true);
		expect(bytes(source, e, 1, 56, 112).every(b => b === 0)).toBe(true);
		expect(source.execute('kfree #1').ok).toBe(true);
		expect(source.execute('destroy TestSlub_krealloc').ok).toBe(true);
	});

	it('test_kmalloc_and_friends: kmalloc, kfree and kfree_rcu with GFP_KERNEL and GFP_KERNEL_ACCOUNT, no errors', () => {
		const lines: string[] = [];
		let handle = 1;
		for (let i = 0; i < 4; i++) {
			lines.push(`kmalloc 16 -n 50 gfp=${i & 1 ? 'GFP_KERNEL' : 'GFP_KERNEL_ACCOUNT'}`);
			for (let j = 0; j < 50; j++, handle++) lines.push(`${i & 2 ? 'kfree_rcu' : 'kfree'} #${handle}`);
		}
		const {answers, source, e} = run(lines.join('; '));
		expect(answers.every(answer => answer.ok)).toBe(true);
		expect(answerOf(answers, 'kmalloc', 0).text).toMatch(/kmalloc-cg-16/);
		expect(answerOf(answers, 'kmalloc', 1).text).toMatch(/\(kmalloc-16,/);
		source.advance(5); // the grace periods end
		expect(objectLine(source, 200)).toMatch(/ free$/);
		expect([...e.caches].filter(c => c.isAlive).reduce((sum, c) => sum + c.errors, 0)).toBe(0);
		expect(validateEngine(e)).toEqual([]);
	});
});

describe('double frees, as on a kernel with CONFIG_SLAB_FREELIST_HARDENED', () => {
	it('without debug flags the naive case (the freelist head freed again) is caught with the kernel BUG', () => {
		const {answers} = run('kmalloc 64; kfree #1; kfree #1');
		const again = answerOf(answers, 'kfree', 1);
		expect(again.ok).toBe(false);
		expect(again.text.split('\n').slice(1, 3)).toEqual([
			'------------[ cut here ]------------',
			'kernel BUG at mm/slub.c: set_freepointer(): BUG_ON(object == fp)',
		]);
	});

	it('with --debug=F every double free is caught: Object already free', () => {
		const {answers, e} = run('kmalloc 64 -n 2; kfree #1; kfree #2; kfree #1', {debug: 'F,kmalloc-64'});
		const again = answerOf(answers, 'kfree', 2);
		expect(again.ok).toBe(false);
		expect(again.text.split('\n').slice(1, 3)).toEqual([
			'=============================================================================',
			'BUG kmalloc-64 (Not tainted): Object already free',
		]);
		expect(again.text).toMatch(/FIX kmalloc-64: Object at 0x[0-9a-f]{16} not freed$/);
		expect(validateEngine(e)).toEqual([]);
	});

	it("a failed allocation check takes the kernel's recovery path: the slab's objects are marked used", () => {
		const {answers, e} = run(
			'create rec 64 flags=CONSISTENCY_CHECKS|POISON; alloc -c rec; free #1; write #1 8 00; alloc -c rec',
		);
		const alloc = answerOf(answers, 'alloc -c rec', 1);
		expect(alloc.ok).toBe(true);
		expect(alloc.text).toMatch(/#2/);
		const reports = e.events.filter(ev => ev.kind === 'debug-report').map(ev => ev.text);
		expect(reports[0].split('\n')[0]).toMatch(/^\[Poison overwritten\] .* @offset=8\. First byte 0x0 instead of 0x6b$/);
		expect(reports.at(-1)).toBe('FIX rec: Marking all objects used');
		expect(validateEngine(e)).toEqual([]);
	});
});

describe('more of validate_slab_cache, in the kernel words', () => {
	it('a write into the slab tail padding of a POISON cache: Padding overwritten, 2 errors', () => {
		// 64-byte objects, 72-byte slots: 56 in a page, 64 bytes of padding at its end.
		const {answers} = run('create pad_test 64 flags=POISON; alloc -c pad_test; write #1 4040 77; validate pad_test');
		expect(answerOf(answers, 'write').text).toMatch(/pad_test: the slab's tail padding$/);
		const validate = answerOf(answers, 'validate');
		expect(errorsOf(validate)).toBe(2);
		expect(validate.text.split('\n').slice(1, 3)).toEqual([
			'=============================================================================',
			expect.stringMatching(
				/^BUG pad_test \(Not tainted\): Padding overwritten\. 0xffff8880[0-9a-f]{8}-0xffff8880[0-9a-f]{8} @offset=4040$/,
			),
		]);
		expect(validate.text).toMatch(/FIX pad_test: Restoring slab padding 0x[0-9a-f]{16}-0x[0-9a-f]{16}=0x5a/);
	});

	it('a free pointer pointing back at its own object: Freelist cycle detected, the freelist cleared', () => {
		const {source, e} = run('create cycle_test 64 flags=POISON; alloc -c cycle_test; free #1');
		const own = /0xffff8880([0-9a-f]{8})/.exec(objectLine(source, 1))![1];
		const le = own.match(/../g)!.reverse().join(''); // the model keeps 4-byte little-endian pointers
		source.execute(`write #1 64 ${le}`);
		const answer = source.execute('validate cycle_test');
		const text = answer.ok ? answer.value : answer.error.message;
		expect(text.split('\n')[0]).toBe('validate cycle_test: 2 errors reported (slab_errors)');
		expect(text).toContain('BUG cycle_test (Not tainted): Freelist cycle detected');
		expect(text).toContain('FIX cycle_test: Freelist cleared');
		expect(validateEngine(e)).toEqual([]); // the slab's objects count as in use, taken out of use
	});
});
