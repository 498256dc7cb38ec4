import { Decoder, Encoder, type Packet, PacketType, protocol } from 'socket.io-parser';

/** JSON text made once and sent as is to every socket of a room (see JsonOnlyEncoder). */
export class PreEncoded {
  constructor(readonly json: string) {}
}

const stringifyArgs = (data: unknown): string =>
  Array.isArray(data) && data.some((d) => d instanceof PreEncoded)
    ? `[${data.map((d) => (d instanceof PreEncoded ? d.json : JSON.stringify(d))).join(',')}]`
    : JSON.stringify(data);

/**
 * socket.io's default encoder walks every outgoing object looking for binary before it
 * stringifies it; GridWall never sends binary, and on a stream of whole cases that walk costs as
 * much as the JSON itself. Same wire format as the default (clients keep the default parser).
 */
class JsonOnlyEncoder extends Encoder {
  override encode(obj: Packet): string[] {
    if (obj.type !== PacketType.EVENT && obj.type !== PacketType.ACK) return super.encode(obj);
    let str = String(obj.type);
    if (obj.nsp && obj.nsp !== '/') str += `${obj.nsp},`;
    if (obj.id !== undefined && obj.id !== null) str += obj.id;
    if (obj.data !== undefined && obj.data !== null) str += stringifyArgs(obj.data);
    return [str];
  }
}

export const jsonOnlyParser = { protocol, Encoder: JsonOnlyEncoder, Decoder };
