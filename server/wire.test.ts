import { Encoder, PacketType } from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import { jsonOnlyParser, PreEncoded } from './wire';

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
