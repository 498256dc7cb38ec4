import { Decoder, Encoder, type Packet, PacketType, protocol } from 'socket.io-parser';
import { Command } from '../../protocol';

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

/** Each command type's own schema: an option of `Command` (the extend option holds all its actions). */
const COMMAND_BY_TYPE = (() => {
  const byType = new Map<unknown, (typeof Command.options)[number]>();
  for (const option of Command.options) {
    const shapes = 'shape' in option ? [option] : option.options;
    for (const s of shapes) byType.set(s.shape.type.value, option);
  }
  return byType;
})();

/**
 * `Command.safeParse`, without trying the union's options one by one: the option named by the
 * command's `type` decides (no other option can accept it). What it refuses is parsed by the whole
 * union again, so errors read exactly as before.
 */
export function parseCommand(raw: unknown): ReturnType<typeof Command.safeParse> {
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  const option = COMMAND_BY_TYPE.get(type);
  if (option) {
    const parsed = option.safeParse(raw);
    if (parsed.success) return parsed;
  }
  return Command.safeParse(raw);
}
