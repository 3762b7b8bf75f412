// The terminal's size as React state: re-renders at once when the terminal is resized (Ink 6
// has no useWindowSize). Without a size (a pipe, a test stream) it assumes 80x24.

import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

export type TerminalSize = {columns: number; rows: number};

export const DEFAULT_SIZE: TerminalSize = {columns: 80, rows: 24};

function readSize(stdout: NodeJS.WriteStream): TerminalSize {
	return {
		columns: stdout.columns > 0 ? stdout.columns : DEFAULT_SIZE.columns,
		rows: stdout.rows > 0 ? stdout.rows : DEFAULT_SIZE.rows,
	};
}

export function useTerminalSize(): TerminalSize {
	const {stdout} = useStdout();
	const [size, setSize] = useState(() => readSize(stdout));
	useEffect(() => {
		const onResize = (): void => {
			setSize(previous => {
				const next = readSize(stdout);
				return next.columns === previous.columns && next.rows === previous.rows ? previous : next;
			});
		};

		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout]);
	return size;
}
