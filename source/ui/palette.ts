// The screen's palette: `color`, or `mono` (NO_COLOR set, or the settings file's "palette":
// "mono"; config/terminal.ts decides). Views ask `useColor(name)` for a colour and get none in
// mono; inverse video and bold (the selection, the sort column) are not colours and stay.

import {createContext, useContext} from 'react';
import type {Palette} from '../config/terminal.js';

export const PaletteContext = createContext<Palette>('color');

/** The colour to draw with, or undefined (the terminal's own) in the mono palette. */
export function useColor(color: string): string | undefined {
	return useContext(PaletteContext) === 'mono' ? undefined : color;
}
