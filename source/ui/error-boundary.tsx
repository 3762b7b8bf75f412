// The last resort (docs/architecture.md, Errors): a render error is handed to `onError`, which ends the screen,
// restores the terminal and prints the error. Expected failures never get here: they are text
// on the screen.

import {Text} from 'ink';
import {Component, type ReactNode} from 'react';

type Props = {onError: (error: Error) => void; children: ReactNode};
type State = {error: Error | null};

export class ErrorBoundary extends Component<Props, State> {
	override state: State = {error: null};

	static getDerivedStateFromError(error: Error): State {
		return {error};
	}

	override componentDidCatch(error: Error): void {
		this.props.onError(error);
	}

	override render(): ReactNode {
		if (this.state.error !== null) return <Text color="red">{`slabtop-ts: ${this.state.error.message}`}</Text>;
		return this.props.children;
	}
}
