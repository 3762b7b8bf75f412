// The command-bar language (product.md "Command bar") as a typed union, discriminated on
// `kind`, and the usage of every command (for `help`, and for parse errors, which say how to
// write the command right). bar-parse.ts turns a typed line into a BarCommand;
// sim/execute.ts carries it out. This is the simulator's own command language, so it lives
// with the simulator source; the UI's key commands are commands/state.ts's UiCommand.

/** The kmem_cache_demo module's commands. */
export type DemoCommand =
	| {kind: 'demo-alloc'; data: string}
	| {kind: 'demo-free'; id: number}
	| {kind: 'demo-access'; id: number}
	| {kind: 'demo-freeall'}
	| {kind: 'demo-show'};

/** The allocator's own commands. */
export type AllocatorCommand =
	| {kind: 'create'; name: string; size: number; align: number; /** SLAB_* bits. */ flags: number; hasCtor: boolean}
	| {kind: 'destroy'; name: string}
	| {kind: 'alloc'; cache: string; count: number; cpu: number}
	| {kind: 'free'; cache: string; count: number; cpu: number}
	| {kind: 'shrink'; cache: string | null} // null: all caches
	| {kind: 'validate'; cache: string}
	| {kind: 'drop-caches'};

export type ControlCommand =
	| {kind: 'workload'; name: string; rate: number}
	| {kind: 'workload-stop'}
	| {kind: 'pause'}
	| {kind: 'resume'}
	| {kind: 'help'; topic: string | null};

export type BarCommand = DemoCommand | AllocatorCommand | ControlCommand;

/** A parse error: where (1-based column of the offending word) and what, with the right form. */
export type CommandParseError = {column: number; message: string};

export type CommandParseResult = {ok: true; command: BarCommand} | {ok: false; error: CommandParseError};

/** Largest object count one alloc -c / free -c may ask for. */
export const MAX_BULK = 1_000_000;
/** Largest object size `create` accepts (KMALLOC_MAX_SIZE-like bound for a slab cache). */
export const MAX_OBJECT_SIZE = 8 * 1024 * 1024;

/** Usage lines per command word, in `help` order. */
export const USAGE: ReadonlyArray<{word: string; usage: readonly string[]; summary: string}> = [
	{word: 'alloc', usage: ['alloc <data>', 'alloc -c <cache> [-n N] [--cpu C]'], summary: 'allocate a demo object holding <data>, or N objects of any cache'},
	{word: 'free', usage: ['free <id>', 'free -c <cache> [-n N] [--cpu C]'], summary: 'free a demo object, or N objects the command bar allocated (newest first)'},
	{word: 'access', usage: ['access <id>'], summary: "increment a demo object's access count"},
	{word: 'freeall', usage: ['freeall'], summary: 'free every demo object'},
	{word: 'show', usage: ['show'], summary: "the demo's statistics and object listing (/proc/kmem_cache_demo)"},
	{word: 'create', usage: ['create <name> <size> [align=N] [flags=A|B…] [ctor]'], summary: 'kmem_cache_create'},
	{word: 'destroy', usage: ['destroy <name>'], summary: 'kmem_cache_destroy (refused while objects remain)'},
	{word: 'shrink', usage: ['shrink [<cache>|all]'], summary: 'kmem_cache_shrink one cache or all'},
	{word: 'validate', usage: ['validate <cache>'], summary: 'run the consistency checks (/sys/kernel/slab/<cache>/validate)'},
	{word: 'drop_caches', usage: ['drop_caches'], summary: 'reclaim the reclaimable caches (echo 2 > /proc/sys/vm/drop_caches)'},
	{word: 'workload', usage: ['workload <preset|file> [rate=X]', 'workload stop'], summary: 'start a workload (rate scales it) or stop it'},
	{word: 'pause', usage: ['pause'], summary: 'stop the simulated clock'},
	{word: 'resume', usage: ['resume'], summary: 'restart the simulated clock'},
	{word: 'help', usage: ['help [command]'], summary: 'list the commands, or the usage of one'},
];

/** `usage: a | b` for one command word, or null when it is no command. */
export function usageOf(word: string): string | null {
	const entry = USAGE.find(u => u.word === word);
	return entry === undefined ? null : `usage: ${entry.usage.join('  |  ')}`;
}
