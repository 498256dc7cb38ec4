import { z } from 'zod';

const FocusMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('focus'),
    caseId: z.string().max(64).nullable(),
    at: z.number(),
    /** The server time of the choice (the video linkage compares it with alarms' times). */
    serverAt: z.number().optional(),
    from: z.string().max(64),
  }),
  z.object({ type: z.literal('hello'), from: z.string().max(64) }),
]);
type FocusMessage = z.infer<typeof FocusMessage>;

export interface FocusState {
  caseId: string | null;
  at: number;
  serverAt?: number;
}

/**
 * Focus shared by the windows of one wall (one BroadcastChannel per layout): selecting a case on
 * one screen moves the map, the detail and the lists on all of them. A window that opens asks the
 * others for the current focus, so a reloaded screen does not fall out of step.
 */
export class FocusChannel {
  private readonly channel: BroadcastChannel | null;
  private readonly id = Math.random().toString(36).slice(2, 12);

  constructor(
    wall: string,
    private readonly current: () => FocusState,
    private readonly onRemote: (focus: FocusState) => void,
  ) {
    this.channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(`gridwall-focus:${wall}`);
    if (!this.channel) return;
    this.channel.onmessage = (ev: MessageEvent<unknown>) => {
      const parsed = FocusMessage.safeParse(ev.data);
      if (!parsed.success || parsed.data.from === this.id) return;
      this.receive(parsed.data);
    };
    this.post({ type: 'hello', from: this.id });
  }

  private receive(msg: FocusMessage): void {
    if (msg.type === 'hello') {
      const cur = this.current();
      if (cur.caseId !== null) this.post({ ...withServerAt(cur), type: 'focus', caseId: cur.caseId, from: this.id });
      return;
    }
    // The later choice wins, so two screens answering a hello cannot flip-flop.
    if (msg.at >= this.current().at) this.onRemote({ ...withServerAt(msg), caseId: msg.caseId });
  }

  publish(focus: FocusState): void {
    this.post({ ...withServerAt(focus), type: 'focus', caseId: focus.caseId, from: this.id });
  }

  private post(msg: FocusMessage): void {
    this.channel?.postMessage(msg);
  }

  close(): void {
    this.channel?.close();
  }
}

function withServerAt(f: { at: number; serverAt?: number | undefined }): { at: number; serverAt?: number } {
  return f.serverAt === undefined ? { at: f.at } : { at: f.at, serverAt: f.serverAt };
}
