import { Encoder, PacketType } from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import { Command } from '../../protocol';
import { jsonOnlyParser, PreEncoded, parseCommand } from './wire';

describe('JSON-only socket.io encoder', () => {
  const fast = new jsonOnlyParser.Encoder();
  const reference = new Encoder();
  const packets = [
    {
      type: PacketType.EVENT,
      nsp: '/',
      data: ['events', [{ seq: 1, type: 'case.upserted', payload: { id: 'c1', note: '中文 "quoted"' } }]],
    },
    { type: PacketType.EVENT, nsp: '/', id: 7, data: ['command', { a: 1 }] },
    { type: PacketType.ACK, nsp: '/', id: 12, data: [{ ok: false, error: { code: 'conflict' } }] },
    { type: PacketType.EVENT, nsp: '/admin', data: ['x', null] },
    { type: PacketType.CONNECT, nsp: '/', data: { sid: 'abc' } },
  ];
  it('writes exactly what the default encoder writes for non-binary packets', () => {
    for (const p of packets) expect(fast.encode(p)).toEqual(reference.encode(p));
  });

  it('sends pre-encoded JSON as is, in place of the object it stands for', () => {
    const batch = [{ seq: 1, payload: { id: 'c1' } }];
    const pre = { type: PacketType.EVENT, nsp: '/', data: ['events', new PreEncoded(JSON.stringify(batch))] };
    expect(fast.encode(pre)).toEqual(reference.encode({ ...pre, data: ['events', batch] }));
  });
});

describe('parseCommand', () => {
  const base = { commandId: 'cmd-0001', caseId: 'c1', expectedVersion: 3 };
  const valid = [
    { ...base, type: 'comment', note: '已回电' },
    { ...base, type: 'file', priority: 'urgent' },
    { ...base, type: 'dispatch', assignee: { kind: 'worker', id: 'w1' } },
    { ...base, type: 'extend', action: 'request', minutes: 60, reason: '材料未到' },
    { ...base, type: 'close', satisfaction: 'satisfied' },
  ];
  const invalid = [
    null,
    'comment',
    { ...base, type: 'comment', note: '' },
    { ...base, type: 'teleport' },
    { ...base, type: 'dispatch' },
    { ...base, expectedVersion: 0, type: 'comment', note: 'x' },
  ];

  it('accepts exactly what Command accepts, with the same value', () => {
    for (const raw of valid) {
      const reference = Command.safeParse(raw);
      expect(reference.success).toBe(true);
      expect(parseCommand(raw)).toEqual(reference);
    }
  });

  it('refuses what Command refuses, with the same issues', () => {
    for (const raw of invalid) {
      const reference = Command.safeParse(raw);
      expect(reference.success).toBe(false);
      expect(parseCommand(raw).error?.issues).toEqual(reference.error?.issues);
    }
  });
});
