import { describeZodError, isPrivileged } from '../../protocol';
import type { Auth, Principal } from '../access/auth';
import type { CaseCore, EncodedAck } from '../cases/core';
import { parseCommand } from './wire';

/** Who sends a command: the authenticated principal and the address it came from (for the audit log). */
export interface CommandSender {
  principal: Principal;
  remoteAddress: string;
}

/** A command's answer; `json` is its text when the core made it at commit (sent as is). */
export interface CommandAnswer extends EncodedAck {
  /** The payload failed the protocol's schema (the stream counts these). */
  malformed: boolean;
}

/** The one entrance for commands, whichever way they come (socket `command` or `POST /api/commands`). */
export type HandleCommand = (raw: unknown, sender: CommandSender) => Promise<CommandAnswer>;

const refuse = (code: 'unauthorized' | 'forbidden' | 'invalid' | 'unavailable', message: string): CommandAnswer => ({
  ack: { ok: false, error: { code, message } },
  json: null,
  malformed: code === 'invalid',
});

/**
 * Checks the sender (a live session, a role that may send commands), parses the raw payload with
 * the protocol's schema once, runs the command through the core and answers with the typed ack:
 * the socket and HTTP entrances only carry the payload in and the answer out.
 */
export function commandHandler(core: Pick<CaseCore, 'commandEncoded'>, auth: Pick<Auth, 'displayName'>): HandleCommand {
  return async (raw, { principal, remoteAddress }) => {
    try {
      if (principal.expiresAt !== null && principal.expiresAt <= Date.now()) {
        return refuse('unauthorized', 'session expired: log in again');
      }
      if (!isPrivileged(principal.role)) {
        return refuse('forbidden', `role ${principal.role} may not send commands`);
      }
      const parsed = parseCommand(raw);
      if (!parsed.success) return refuse('invalid', describeZodError(parsed.error, 'command'));
      const answer = await core.commandEncoded(parsed.data, {
        actor: { id: principal.username, name: auth.displayName(principal.username), role: principal.role },
        username: principal.username,
        role: principal.role,
        remoteAddress,
      });
      return { ...answer, malformed: false };
    } catch (err) {
      return refuse('unavailable', (err as Error).message);
    }
  };
}
