import { type Command, CommandAck } from '../../protocol';
import type { SendResult } from './outbox';

/**
 * Sends one command over `POST /api/commands` (the same core and answers as the socket's
 * `command`). HTTP keeps the outbox apart from the stream worker: a command's fate is decided by
 * its own answer, and "no answer" (network error, timeout, a proxy's 502) means "try again with
 * the same id", never "done".
 */
export async function sendCommandHttp(
  origin: string,
  token: string,
  command: Command,
  timeoutMs = 15_000,
): Promise<SendResult> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const res = await fetch(`${origin}/api/commands`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(command),
      signal: abort.signal,
    });
    if (res.status === 401) return { kind: 'unauthorized' };
    const parsed = CommandAck.safeParse(await res.json().catch(() => null));
    if (parsed.success) return { kind: 'ack', ack: parsed.data };
    if (res.status === 403) {
      return { kind: 'ack', ack: { ok: false, error: { code: 'forbidden', message: `HTTP ${res.status}` } } };
    }
    return { kind: 'offline', reason: `HTTP ${res.status}` };
  } catch (err) {
    return { kind: 'offline', reason: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}
