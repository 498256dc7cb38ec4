import type { ConnectionState } from '../../stream/types';

/**
 * The lag figure of the status bar: the last batch's delay, only while the stream is live. A lag kept
 * on screen after the connection dropped ("延迟 2 ms" while disconnected) says all is well when
 * nothing arrives at all, so any other state shows a dash.
 */
export function lagText(state: ConnectionState, lagMs: number | null): string {
  return state === 'live' && lagMs !== null ? `${Math.round(lagMs)} ms` : '—';
}
