import { type ReactNode, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseLite } from '../../../../protocol/lite';
import { ACTION_DEFS, type ActionDef, actionAllowed } from '../../actions';
import { useConsole, useData } from '../../context';
import { categoryName } from '../../format';
import type { AuthState, DialogState } from '../../state';

/** A key is the open dialog's unless another handler took it or the login screen lies over the dialog. */
export function keyForDialog(ev: KeyboardEvent, auth: AuthState): boolean {
  return !ev.defaultPrevented && auth === 'ready';
}

export interface DialogProps {
  dialog: DialogState;
}

/**
 * What every action dialog needs: the case as the console believes it (re-rendered as it changes
 * under the open dialog, to warn that the command will conflict), whether the action is allowed,
 * the text field, the error, and `send` (the command through the outbox).
 */
export function useDialog(dialog: DialogState) {
  const runtime = useConsole();
  const def = ACTION_DEFS[dialog.action];
  useData((s) => s.cases.byId.get(dialog.caseId));
  const c = runtime.dialogs.caseLite(dialog.caseId);
  const [text, setText] = useState(dialog.prefill?.reason ?? dialog.prefill?.note ?? '');
  const [error, setError] = useState<string | null>(null);
  // While the operator's own command under the dialog is on its way, a newer version is that
  // command's doing (the dialog takes it when the command is applied), not someone else's.
  const ownPending =
    dialog.builtOn !== null &&
    runtime.outbox.queuedFor(dialog.caseId).some((e) => e.command.commandId === dialog.builtOn);
  const stale = c !== undefined && !ownPending && c.version > dialog.version;
  const status = c ? runtime.dialogs.predictedStatus(c) : null;
  // A case that changed under the dialog is still sent as decided, on the version seen: the
  // server answers with a conflict and the current state, and the supervisor chooses to redo.
  const allowed =
    c !== undefined &&
    status !== null &&
    (stale ||
      actionAllowed(dialog.action, {
        status,
        level: c.level,
        extensionRequested: c.extensionRequested,
        hasAssignee: Boolean(c.assigneeId),
      }));
  const send = async (args: Record<string, unknown>) => {
    const issue = await runtime.dialogs.submit(args);
    if (issue) setError(issue);
  };
  return { runtime, def, c, status, stale, allowed, text: text, setText, error, setError, send };
}

export type DialogModel = ReturnType<typeof useDialog>;

/** The label of the text field: a note (required or not) or a reason. */
export function noteLabel(def: ActionDef, t: (key: string) => string): string {
  return def.dialog === 'note' || def.dialog === 'file' || def.dialog === 'close'
    ? def.reasonRequired
      ? t('console.dialog.noteRequired')
      : t('console.dialog.note')
    : t('console.dialog.reason');
}

/**
 * The frame every action dialog shares: title, the case, the warnings, the dialog's own fields
 * (`children`), the text field, the error and the buttons. Enter sends, Esc cancels; nothing in
 * it needs the mouse.
 */
export function DialogFrame(props: {
  dialog: DialogState;
  model: DialogModel & { c: CaseLite };
  /** The text field's label. */
  textLabel: string;
  /** Whether the text field takes the focus when the dialog opens (else the dialog does). */
  focusText?: boolean;
  /** Another reason to keep the confirm button off (nothing picked yet). */
  confirmDisabled?: boolean;
  onSubmit(): void;
  /** The dialog's own keys, after Esc and Enter. */
  onKey?(ev: KeyboardEvent): void;
  children?: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const { dialog, model } = props;
  const { runtime, def, c, status, stale, allowed } = model;
  const en = i18n.language === 'en';
  const categories = useData((s) => s.categories);
  const full = useData((s) => (s.focusedCase?.id === dialog.caseId ? s.focusedCase : null));
  const root = useRef<HTMLDivElement>(null);
  const textField = useRef<HTMLInputElement>(null);

  // The dialog is modal, so it takes the page's keys wherever the focus is (a click on the backdrop,
  // a row re-rendered under it). Set before the first paint: a key pressed as soon as the dialog
  // shows is the dialog's.
  const onKey = useRef<((ev: KeyboardEvent) => void) | null>(null);
  useLayoutEffect(() => {
    (textField.current ?? root.current)?.focus();
    const listener = (ev: KeyboardEvent) => onKey.current?.(ev);
    addEventListener('keydown', listener);
    return () => removeEventListener('keydown', listener);
  }, []);

  onKey.current = (ev: KeyboardEvent) => {
    if (!keyForDialog(ev, runtime.ui.getState().auth)) return;
    if (ev.key === 'Escape') {
      ev.preventDefault();
      runtime.dialogs.close();
      return;
    }
    if (ev.key === 'Enter' && !ev.isComposing) {
      const inTextArea = ev.target instanceof HTMLTextAreaElement;
      if (!inTextArea || ev.ctrlKey || ev.metaKey) {
        ev.preventDefault();
        if (allowed) props.onSubmit();
      }
      return;
    }
    props.onKey?.(ev);
  };

  return (
    <div className="gc-overlay" data-testid="dialog-backdrop">
      <div
        className={`gc-dialog gc-dialog-${def.dialog}`}
        role="dialog"
        aria-modal="true"
        data-testid="action-dialog"
        data-action={dialog.action}
        ref={root}
        tabIndex={-1}
      >
        <h2>
          <kbd>{def.key.toUpperCase()}</kbd> {t(`console.action.${dialog.action}`)}
        </h2>
        <div className="gc-dialog-case">
          {t('console.dialog.caseLine', {
            code: c.code,
            category: categoryName(categories, c.category, en),
            address: c.address,
          })}
        </div>
        {(dialog.action === 'approveExtension' || dialog.action === 'refuseExtension') && full?.extension ? (
          <div className="gc-note gc-note-ext" data-testid="dialog-extension">
            {t('console.detail.extension', { minutes: full.extension.minutes, reason: full.extension.reason })}
          </div>
        ) : null}
        {stale ? (
          <div className="gc-note gc-note-warn" data-testid="dialog-stale">
            {t('console.dialog.staleWarning', { from: dialog.version, to: c.version })}
          </div>
        ) : null}
        {!allowed ? (
          <div className="gc-note gc-note-warn">
            {t('console.dialog.notAllowed', { status: t(`status.${status}`) })}
          </div>
        ) : null}

        {props.children}

        <label className="gc-form-field">
          <span>{props.textLabel}</span>
          <input
            ref={props.focusText === false ? undefined : textField}
            data-testid="dialog-text"
            value={model.text}
            maxLength={500}
            onChange={(e) => model.setText(e.target.value)}
          />
        </label>

        {model.error ? (
          <div className="gc-login-error" role="alert" data-testid="dialog-error">
            {model.error}
          </div>
        ) : null}
        <div className="gc-dialog-buttons">
          <span className="gc-muted">{t('console.dialog.enterHint')}</span>
          <button type="button" className="gc-button" onClick={() => runtime.dialogs.close()}>
            {t('console.dialog.cancel')}
          </button>
          <button
            type="button"
            className="gc-button gc-button-primary"
            data-testid="dialog-confirm"
            disabled={!allowed || props.confirmDisabled === true}
            onClick={() => props.onSubmit()}
          >
            {t('console.dialog.confirm')}
          </button>
        </div>
      </div>
    </div>
  );
}

/** The dialog's model once its case is known (the dialog shows nothing until then). */
export function withCase(model: DialogModel): (DialogModel & { c: CaseLite }) | null {
  return model.c ? (model as DialogModel & { c: CaseLite }) : null;
}
