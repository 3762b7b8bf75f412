// The one result type of the layers above the engine: a value, or an error as data with a
// `kind` (what went wrong, for code to tell apart) and a one-line `message` (for the user).
// Parsers, sources, commands and the CLI return it; nothing a user can get wrong throws.
// No imports: every layer may use it.

export type Failure<K extends string = string> = {kind: K; message: string};

export type Result<T, E extends Failure = Failure> = {ok: true; value: T} | {ok: false; error: E};

export function ok<T>(value: T): {ok: true; value: T} {
	return {ok: true, value};
}

export function err<K extends string>(kind: K, message: string): {ok: false; error: Failure<K>} {
	return {ok: false, error: {kind, message}};
}

/** An error result carrying an existing error value (with extra fields, e.g. a file and line). */
export function failWith<E extends Failure>(error: E): {ok: false; error: E} {
	return {ok: false, error};
}
