// The command-bar language (README "Command bar") as a typed union, discriminated on
// `kind`, and the usage of every command (for `help`, and for parse errors, which say how to
// write the command right: help.ts has the usage). bar-parse.ts turns a typed line into a
// BarCommand; the screen's reducer (reduce.ts) hands it to the source as an effect, and the
// simulator (sim/execute.ts) carries it out and answers with a CommandAnswer.

import {err, ok, type Failure, type Result} from '../result.js';
import type {KapiCommand} from './kapi-command.js';

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

export type BarCommand = DemoCommand | AllocatorCommand | ControlCommand | KapiCommand;

/** A parse error: where (1-based column of the offending word), and `col N: what` with the right form. */
export type CommandParseError = Failure<'parse'> & {column: number};

export type CommandParseResult = Result<BarCommand, CommandParseError>;

/** A command the simulator refused (nothing changed), with what to do instead. */
export type Refusal = Failure<'refused'>;

/** A command that needs the simulator, typed with another source. */
export type NeedsSimulator = Failure<'needs-sim'>;

/**
 * What the command bar shows after a command: the answer text, or why nothing was done.
 * Answers and errors may run over several lines (`show`, `validate`, `help`).
 */
export type CommandAnswer = Result<string, CommandParseError | Refusal | NeedsSimulator>;

export function answered(text: string): {ok: true; value: string} {
	return ok(text);
}

export function refused(message: string): {ok: false; error: Refusal} {
	return err('refused', message);
}

/** The text an answer shows, whether it succeeded or not. */
export function answerText(answer: CommandAnswer): string {
	return answer.ok ? answer.value : answer.error.message;
}

/** Largest object count one alloc -c / free -c may ask for. */
export const MAX_BULK = 1_000_000;
/** Largest object size `create` accepts (KMALLOC_MAX_SIZE-like bound for a slab cache). */
export const MAX_OBJECT_SIZE = 8 * 1024 * 1024;
