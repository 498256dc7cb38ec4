import { describe, expect, it } from 'vitest';
import type { Command } from '../../protocol';
import type { Principal } from '../access/auth';
import type { CommandOrigin } from '../cases/core';
import { commandHandler } from './commands';

const principal = (over: Partial<Principal> = {}): Principal => ({
  username: 'supervisor',
  role: 'supervisor',
  kind: 'session',
  deviceId: null,
  expiresAt: null,
  tokenHash: 'h',
  ...over,
});

const fileCommand = { commandId: 'cmd-0001', caseId: 'c1', expectedVersion: 1, type: 'file' };

function setup() {
  const sent: Array<{ command: Command; origin: CommandOrigin }> = [];
  const handle = commandHandler(
    {
      commandEncoded: async (command, origin) => {
        sent.push({ command, origin });
        return { ack: { ok: false, error: { code: 'not_found', message: 'none' } }, json: null };
      },
    },
    { displayName: (u) => `name of ${u}` },
  );
  return { handle, sent };
}

describe('the command handler (socket and HTTP)', () => {
  it('runs a valid command from a privileged role, with the sender as actor and origin', async () => {
    const { handle, sent } = setup();
    const answer = await handle(fileCommand, { principal: principal(), remoteAddress: '10.0.0.1' });
    expect(answer).toMatchObject({ ack: { ok: false, error: { code: 'not_found' } }, malformed: false });
    expect(sent).toEqual([
      {
        command: expect.objectContaining({ commandId: 'cmd-0001', type: 'file' }),
        origin: {
          actor: { id: 'supervisor', name: 'name of supervisor', role: 'supervisor' },
          username: 'supervisor',
          role: 'supervisor',
          remoteAddress: '10.0.0.1',
        },
      },
    ]);
  });

  it('refuses a role that may not send commands before it reads the payload', async () => {
    const { handle, sent } = setup();
    for (const role of ['wall', 'presenter'] as const) {
      const answer = await handle({ nonsense: true }, { principal: principal({ role }), remoteAddress: '' });
      expect(answer.ack).toEqual({
        ok: false,
        error: { code: 'forbidden', message: `role ${role} may not send commands` },
      });
    }
    expect(sent).toEqual([]);
  });

  it('refuses an expired session', async () => {
    const { handle } = setup();
    const answer = await handle(fileCommand, { principal: principal({ expiresAt: 1 }), remoteAddress: '' });
    expect(answer.ack).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('names what a malformed payload got wrong, and marks it malformed', async () => {
    const { handle, sent } = setup();
    const answer = await handle(
      { ...fileCommand, expectedVersion: 'one' },
      { principal: principal(), remoteAddress: '' },
    );
    expect(answer.malformed).toBe(true);
    expect(answer.ack).toMatchObject({
      ok: false,
      error: { code: 'invalid', message: expect.any(String) },
    });
    expect((await handle(null, { principal: principal(), remoteAddress: '' })).ack).toMatchObject({
      error: { code: 'invalid', message: expect.stringMatching(/^command: /) },
    });
    expect(sent).toEqual([]);
  });

  it('answers unavailable when the core throws', async () => {
    const handle = commandHandler(
      {
        commandEncoded: async () => {
          throw new Error('disk full');
        },
      },
      { displayName: (u) => u },
    );
    expect((await handle(fileCommand, { principal: principal(), remoteAddress: '' })).ack).toEqual({
      ok: false,
      error: { code: 'unavailable', message: 'disk full' },
    });
  });
});
