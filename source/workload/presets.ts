// The workload presets (README "Workloads"), as data in the workload file format (parse.ts): what a
// user could write in a JSON file. `--list-workloads` prints their names and descriptions.
// One tick is 10 ms of simulated time (MS_PER_TICK), so 100 ticks are one second.
// Main entries: PRESET_NAMES, presetWorkload(name), listPresets(), resolveWorkload() (a preset
// or a workload file, for -w and the command bar).

import {err, ok, type Failure, type Result} from '../result.js';
import {fromValue, parseWorkload} from './parse.js';
import type {Workload} from './types.js';

type Json = null | boolean | number | string | Json[] | {[key: string]: Json};

const exp = (mean: number): Json => ({kind: 'exponential', mean});
const uniform = (min: number, max: number): Json => ({kind: 'uniform', min, max});
const forever: Json = {kind: 'forever'};

/** A fork burst: `count` × `perTask` objects of a cache every 50 ticks, living like the task. */
const forkBurst = (cache: string, perTask: number): Json => ({
	cache,
	rate: 0.2 * perTask,
	lifetime: uniform(100, 600),
	allocCpu: 'any',
	freeCpu: 'any',
	burst: {every: 50, count: 120 * perTask},
});

const RAW: Readonly<Record<string, Json>> = {
	steady: {
		name: 'steady',
		description: 'mixed churn over many caches: dentries, files, kmalloc, VMAs, buffers, skbs (repeats)',
		repeat: true,
		phases: [
			{
				name: 'churn',
				ticks: 3000,
				caches: [
					{cache: 'dentry', rate: 20, lifetime: exp(1500)},
					{cache: 'inode_cache', rate: 4, lifetime: exp(1500)},
					{cache: 'ext4_inode_cache', rate: 4, lifetime: exp(2000)},
					{cache: 'filp', rate: 40, lifetime: exp(150), freeCpu: 'any'},
					{cache: 'names_cache', rate: 10, lifetime: {kind: 'fixed', ticks: 1}},
					{cache: 'kmalloc-64', rate: 50, lifetime: exp(100)},
					{cache: 'kmalloc-128', rate: 25, lifetime: exp(300)},
					{cache: 'kmalloc-256', rate: 15, lifetime: exp(200), freeCpu: 'other'},
					{cache: 'kmalloc-512', rate: 8, lifetime: exp(500)},
					{cache: 'kmalloc-1k', rate: 4, lifetime: exp(400)},
					{cache: 'vm_area_struct', rate: 20, lifetime: exp(400)},
					{cache: 'anon_vma', rate: 5, lifetime: exp(800)},
					{cache: 'buffer_head', rate: 8, lifetime: exp(3000)},
					{cache: 'radix_tree_node', rate: 3, lifetime: exp(3000)},
					{cache: 'skbuff_head_cache', rate: 15, lifetime: uniform(1, 20), freeCpu: 'other'},
					{cache: 'task_struct', rate: 0.5, lifetime: exp(2000), freeCpu: 'any'},
				],
			},
		],
	},
	'fork-storm': {
		name: 'fork-storm',
		description: 'bursts of forks (task_struct, mm_struct, vm_area_struct, maple_node, files_cache, signal_cache …) and their exits',
		phases: [
			{
				name: 'idle',
				ticks: 200,
				caches: [
					{cache: 'task_struct', rate: 0.2, lifetime: exp(500), freeCpu: 'any'},
					{cache: 'vm_area_struct', rate: 4, lifetime: exp(500), freeCpu: 'any'},
					{cache: 'maple_node', rate: 1, lifetime: exp(500), freeCpu: 'any'},
				],
			},
			{
				name: 'storm',
				ticks: 1000,
				caches: [
					forkBurst('task_struct', 1),
					forkBurst('mm_struct', 1),
					forkBurst('signal_cache', 1),
					forkBurst('sighand_cache', 1),
					forkBurst('files_cache', 1),
					forkBurst('pid', 1),
					forkBurst('cred', 1),
					forkBurst('vm_area_struct', 20),
					forkBurst('maple_node', 4),
					forkBurst('anon_vma', 4),
					forkBurst('anon_vma_chain', 8),
				],
			},
			{name: 'exits', ticks: 600},
			{
				name: 'quiet',
				ticks: 400,
				caches: [
					{cache: 'task_struct', rate: 0.2, lifetime: exp(500), freeCpu: 'any'},
					{cache: 'vm_area_struct', rate: 4, lifetime: exp(500), freeCpu: 'any'},
					{cache: 'maple_node', rate: 1, lifetime: exp(500), freeCpu: 'any'},
				],
			},
		],
	},
	'dentry-flood': {
		name: 'dentry-flood',
		description: 'a file-tree walk: dentry and inode caches grow, then drop_caches shrinks them',
		phases: [
			{
				name: 'walk',
				ticks: 1000,
				caches: [
					{cache: 'dentry', rate: 200, lifetime: forever},
					{cache: 'inode_cache', rate: 20, lifetime: forever},
					{cache: 'ext4_inode_cache', rate: 60, lifetime: forever},
					{cache: 'extent_status', rate: 60, lifetime: forever},
					{cache: 'buffer_head', rate: 30, lifetime: forever},
					{cache: 'radix_tree_node', rate: 10, lifetime: forever},
				],
			},
			{name: 'hold', ticks: 300, caches: [{cache: 'dentry', rate: 20, lifetime: exp(200)}]},
			{name: 'drop_caches', ticks: 500, actions: [{at: 0, kind: 'drop_caches'}]},
		],
	},
	'net-burst': {
		name: 'net-burst',
		description: 'receive bursts: skbuff and kmalloc objects allocated on CPU 0, freed on another CPU',
		phases: [
			{
				name: 'traffic',
				ticks: 2000,
				caches: [
					{cache: 'skbuff_head_cache', rate: 20, lifetime: uniform(1, 30), allocCpu: 0, freeCpu: 'other', burst: {every: 100, count: 2000}},
					{cache: 'kmalloc-2k', rate: 15, lifetime: uniform(1, 30), allocCpu: 0, freeCpu: 'other', burst: {every: 100, count: 1500}},
					{cache: 'kmalloc-512', rate: 10, lifetime: uniform(1, 30), allocCpu: 0, freeCpu: 'other', burst: {every: 100, count: 1000, offset: 5}},
					{cache: 'skbuff_small_head', rate: 5, lifetime: uniform(1, 30), allocCpu: 0, freeCpu: 'other', burst: {every: 100, count: 500}},
				],
			},
			{name: 'idle', ticks: 500},
		],
	},
	fragment: {
		name: 'fragment',
		description: 'fill a cache, free most objects at random so many slabs stay partial, then shrink',
		caches: [{name: 'fragment_demo', size: 256, flags: 'HWCACHE_ALIGN|NO_MERGE'}],
		phases: [
			{name: 'fill', ticks: 100, caches: [{cache: 'fragment_demo', rate: 400, lifetime: forever}]},
			{name: 'fragment', ticks: 300, actions: [{at: 0, kind: 'free', cache: 'fragment_demo', fraction: 0.85, pick: 'random'}]},
			{name: 'shrink', ticks: 300, actions: [{at: 0, kind: 'shrink', cache: 'fragment_demo'}]},
			{name: 'refill', ticks: 200, caches: [{cache: 'fragment_demo', rate: 50, lifetime: forever}]},
			{
				name: 'release',
				ticks: 300,
				actions: [
					{at: 0, kind: 'free', cache: 'fragment_demo', fraction: 1},
					{at: 1, kind: 'shrink', cache: 'fragment_demo'},
				],
			},
		],
	},
	leak: {
		name: 'leak',
		description: 'kmalloc-192 only grows (nothing frees it) under light churn elsewhere',
		phases: [
			{
				name: 'leak',
				ticks: 6000,
				caches: [
					{cache: 'kmalloc-192', rate: 30, lifetime: forever},
					{cache: 'kmalloc-64', rate: 40, lifetime: exp(100)},
					{cache: 'filp', rate: 20, lifetime: exp(200), freeCpu: 'any'},
					{cache: 'dentry', rate: 5, lifetime: exp(500)},
				],
			},
		],
	},
	pressure: {
		name: 'pressure',
		description: 'memory runs out: allocation failures, then drop_caches and shrinking',
		phases: [
			{
				name: 'fill',
				ticks: 5000,
				untilFailures: 50,
				caches: [
					{cache: 'kmalloc-8k', rate: 200, lifetime: forever, freeCpu: 'any'},
					{cache: 'kmalloc-4k', rate: 100, lifetime: uniform(2000, 4000)},
					{cache: 'dentry', rate: 200, lifetime: forever},
				],
			},
			{
				name: 'reclaim',
				ticks: 200,
				actions: [
					{at: 0, kind: 'drop_caches'},
					{at: 0, kind: 'free', cache: 'kmalloc-8k', fraction: 0.5, pick: 'oldest'},
					{at: 1, kind: 'shrink', cache: 'all'},
				],
			},
			{
				name: 'recover',
				ticks: 800,
				caches: [
					{cache: 'kmalloc-8k', rate: 50, lifetime: exp(100)},
					{cache: 'kmalloc-4k', rate: 20, lifetime: exp(100)},
				],
			},
		],
	},
};

export const PRESET_NAMES: readonly string[] = Object.keys(RAW);

/** The preset as a Workload, or null for an unknown name. */
export function presetWorkload(name: string): Workload | null {
	if (!Object.hasOwn(RAW, name)) return null;
	const parsed = fromValue(RAW[name], name);
	if (!parsed.ok) throw new Error(`preset ${name} is invalid: ${parsed.error.message}`); // a bug, caught by the tests
	return parsed.value;
}

/** Names and descriptions, for --list-workloads and `help workload`. */
export function listPresets(): Array<{name: string; description: string}> {
	return PRESET_NAMES.map(name => ({name, description: presetWorkload(name)?.description ?? ''}));
}

/** A workload as a user names it: a preset name, or a workload file and the text read from it. */
export type WorkloadSpec = {kind: 'preset'; name: string} | {kind: 'file'; path: string; text: string};

export type ResolveResult = Result<Workload, Failure<'unknown-preset' | 'invalid-file'>>;

/**
 * The workload `-w` or the command bar's `workload` names: the preset, or the file's text
 * parsed, named after the file (`dir/my-load.json` → my-load) unless it has a "name". Errors:
 * `no preset named X` (callers add how their syntax names a file) or `path: problem`.
 */
export function resolveWorkload(spec: WorkloadSpec): ResolveResult {
	if (spec.kind === 'preset') {
		const preset = presetWorkload(spec.name);
		return preset === null ? err('unknown-preset', `no preset named ${spec.name}`) : ok(preset);
	}
	const stem = spec.path.replace(/^.*\//, '').replace(/\.json$/, '');
	const parsed = parseWorkload(spec.text, stem);
	return parsed.ok ? parsed : err('invalid-file', `${spec.path}: ${parsed.error.message}`);
}
