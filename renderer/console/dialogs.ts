import { Command, describeZodError } from '../../protocol';
import { statusAfter } from '../../protocol/lifecycle';
import { type CaseLite, toCaseLite } from '../../protocol/lite';
import type { WallStore } from '../state/store';
import { ACTION_DEFS, type ActionId } from './actions';
import { type AppliedNotice, expectedVersionFor, newCommandId, type Outbox, type OutboxEntry } from './outbox';
import type { ConsoleUi, DialogState, Toast } from './state';

const TOAST_MS = 4000;

const preciseNow = (): number => performance.timeOrigin + performance.now();

/**
 * An open dialog decided on top of the operator's own waiting command moves to the version that
 * command produced once it is applied: the change is the operator's own, not a conflict.
 */
export function rebaseDialog(dialog: DialogState | null, applied: AppliedNotice): DialogState | null {
  if (!dialog || dialog.builtOn !== applied.entry.command.commandId) return dialog;
  return { ...dialog, version: Math.max(dialog.version, applied.case.version), builtOn: null };
}

/** The console action a command came from. */
export function actionOf(cmd: Command): ActionId | null {
  if (cmd.type === 'extend') {
    return cmd.action === 'approve' ? 'approveExtension' : cmd.action === 'refuse' ? 'refuseExtension' : null;
  }
  return cmd.type === 'accept' || cmd.type === 'feedback' ? null : cmd.type;
}

/**
 * The action dialogs and what they send: a dialog opens on the version the console believes, its
 * command goes through the outbox, the answer (ahead of the stream for a moment) and a toast come
 * back. Also the help overlay.
 */
export class ConsoleDialogs {
  /** Epoch ms (sub-ms) of each command's send and its answer, by commandId: the bench's marks. */
  readonly marks = new Map<string, { queuedAt: number; appliedAt: number | null }>();
  private toastSeq = 0;
  private dialogSeq = 0;

  constructor(
    private readonly store: WallStore,
    private readonly ui: ConsoleUi,
    /** The outbox now (it is replaced once its storage is open). */
    private readonly outbox: () => Outbox,
  ) {}

  /** The case as the console now believes it: the stream's, or our last answer when newer. */
  caseLite(caseId: string): CaseLite | undefined {
    const lite = this.store.getState().cases.byId.get(caseId);
    const acked = this.ui.getState().acked.get(caseId);
    return acked && (!lite || acked.version > lite.version) ? toCaseLite(acked) : lite;
  }

  /** The status once the commands still waiting for this case are applied. */
  predictedStatus(c: CaseLite): CaseLite['status'] {
    let status = c.status;
    for (const e of this.outbox().queuedFor(c.id)) status = statusAfter(e.command.type, status);
    return status;
  }

  open(action: ActionId, caseId: string, redo?: OutboxEntry): void {
    const c = this.caseLite(caseId);
    if (!c) return;
    const outbox = this.outbox();
    const version = expectedVersionFor(c.version, outbox, caseId);
    let prefill: DialogState['prefill'] = null;
    if (redo) {
      const cmd = redo.command;
      prefill = {
        reason: 'reason' in cmd ? cmd.reason : undefined,
        note: 'note' in cmd ? cmd.note : undefined,
        assigneeId: cmd.type === 'dispatch' ? cmd.assignee.id : undefined,
        assigneeKind: cmd.type === 'dispatch' ? cmd.assignee.kind : undefined,
        satisfaction: cmd.type === 'close' ? cmd.satisfaction : undefined,
      };
    }
    const builtOn = outbox.lastQueuedFor(caseId)?.command.commandId ?? null;
    const id = ++this.dialogSeq;
    this.ui.setState({
      dialog: { id, action, caseId, version, builtOn, prefill, redoOf: redo?.seq ?? null },
      help: false,
    });
  }

  close(): void {
    this.ui.setState({ dialog: null });
  }

  /**
   * Sends the open dialog's command through the outbox. `args` are the command's own fields.
   * Returns the validation issue when the command is not well formed.
   */
  async submit(args: Record<string, unknown>): Promise<string | null> {
    const s = this.ui.getState();
    const d = s.dialog;
    if (!d || !s.session) return 'no dialog';
    const c = this.caseLite(d.caseId);
    const def = ACTION_DEFS[d.action];
    const command = Command.safeParse({
      commandId: newCommandId(),
      type: def.command,
      caseId: d.caseId,
      expectedVersion: d.version,
      ...(d.action === 'approveExtension' ? { action: 'approve' } : {}),
      ...(d.action === 'refuseExtension' ? { action: 'refuse' } : {}),
      ...args,
    });
    if (!command.success) return describeZodError(command.error, 'command');
    this.ui.setState({ dialog: null });
    this.marks.set(command.data.commandId, { queuedAt: preciseNow(), appliedAt: null });
    const outbox = this.outbox();
    if (d.redoOf !== null) await outbox.dismiss(d.redoOf);
    await outbox.enqueue(command.data, { caseCode: c?.code ?? d.caseId, username: s.session.username });
    if (outbox.getStatus().offline) this.toast('queued', d.action, c?.code ?? d.caseId);
    return null;
  }

  /** The server applied one of our commands: its answer, the open dialog moved on, a toast. */
  onApplied(n: AppliedNotice): void {
    const mark = this.marks.get(n.entry.command.commandId);
    if (mark) mark.appliedAt = preciseNow();
    const acked = new Map(this.ui.getState().acked);
    const prev = acked.get(n.case.id);
    if (!prev || prev.version < n.case.version) acked.set(n.case.id, n.case);
    const dialog = rebaseDialog(this.ui.getState().dialog, n);
    this.ui.setState({ acked, dialog });
    const action = actionOf(n.entry.command);
    if (action) this.toast('applied', action, n.case.code);
  }

  toast(kind: Toast['kind'], action: ActionId, code: string): void {
    const now = Date.now();
    const kept = this.ui.getState().toasts.filter((t) => now - t.at < TOAST_MS);
    const toasts = [...kept, { id: ++this.toastSeq, kind, action, code, at: now }].slice(-4);
    this.ui.setState({ toasts });
    setTimeout(() => {
      const left = this.ui.getState().toasts.filter((t) => Date.now() - t.at < TOAST_MS);
      if (left.length !== this.ui.getState().toasts.length) this.ui.setState({ toasts: left });
    }, TOAST_MS + 50);
  }

  setHelp(open: boolean): void {
    this.ui.setState({ help: open });
  }
}
