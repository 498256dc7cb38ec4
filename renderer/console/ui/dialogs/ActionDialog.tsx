import type { ComponentType } from 'react';
import { ACTION_DEFS, type ActionDef } from '../../actions';
import { useUi } from '../../context';
import { CloseDialog } from './CloseDialog';
import { DispatchDialog } from './DispatchDialog';
import { EscalateDialog } from './EscalateDialog';
import { FileDialog } from './FileDialog';
import type { DialogProps } from './Frame';
import { NoteDialog } from './NoteDialog';
import { ReasonDialog } from './ReasonDialog';
import { VoidDialog } from './VoidDialog';

/** One component per kind of dialog; they share the frame (Frame.tsx). */
const DIALOGS: Record<ActionDef['dialog'], ComponentType<DialogProps>> = {
  file: FileDialog,
  reason: ReasonDialog,
  dispatch: DispatchDialog,
  escalate: EscalateDialog,
  void: VoidDialog,
  close: CloseDialog,
  note: NoteDialog,
};

/** The open action's dialog: Enter sends, Esc cancels; nothing in it needs the mouse. */
export function ActionDialog() {
  const dialog = useUi((s) => s.dialog);
  if (!dialog) return null;
  const Dialog = DIALOGS[ACTION_DEFS[dialog.action].dialog];
  // Keyed by the opening: a new dialog starts with empty fields.
  return <Dialog key={dialog.id} dialog={dialog} />;
}
