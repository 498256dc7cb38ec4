import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Case, Role } from '../../protocol';
import type { ActionId } from './actions';
import type { LoginError, SessionInfo } from './auth';
import type { OutboxStatus } from './outbox';
import { type Filters, NO_FILTERS, type QueueId } from './queues';

export type AuthState = 'checking' | 'login' | 'ready' | 'expired';

/** A dialog open on a case: the version seen when it opened is the one the command will expect. */
export interface DialogState {
  /** Which opening of a dialog this is: a new one starts with empty fields. */
  id: number;
  action: ActionId;
  caseId: string;
  version: number;
  /**
   * The operator's own command on this case still waiting when the dialog opened: the dialog is
   * decided on top of it, and takes the version it produces when it is applied.
   */
  builtOn: string | null;
  /** Arguments of a refused command being redone. */
  prefill: Partial<Record<'reason' | 'note' | 'assigneeId' | 'assigneeKind' | 'satisfaction', string>> | null;
  /** The failed outbox entry this dialog redoes, dismissed once the redo is sent. */
  redoOf: number | null;
}

export interface Toast {
  id: number;
  kind: 'queued' | 'applied' | 'notAllowed';
  action: ActionId;
  code: string;
  at: number;
}

/**
 * The console's own state, one store: each part is kept by one module (session.ts: auth, session;
 * lists.ts: queue, filters, search, selection; dialogs.ts: dialog, help, acked, toasts;
 * runtime.ts: the outbox's status).
 */
export interface ConsoleUiState {
  auth: AuthState;
  loginError: LoginError | null;
  loginRole: Role | null;
  /** Seconds the server asked to wait after too many failed sign-ins. */
  loginRetryAfterS: number | null;
  session: SessionInfo | null;
  queue: QueueId;
  filters: Filters;
  /** Ids the server's search found (phone, description), and for which text. */
  serverMatches: { text: string; ids: Set<string> } | null;
  searching: boolean;
  selectedId: string | null;
  dialog: DialogState | null;
  help: boolean;
  outbox: OutboxStatus;
  /** Whether the outbox is on disk (IndexedDB) or only in memory. */
  durable: boolean;
  /** The latest case our own commands produced (ahead of the stream for a moment). */
  acked: Map<string, Case>;
  toasts: Toast[];
}

export type ConsoleUi = StoreApi<ConsoleUiState>;

export function createConsoleUi(outbox: OutboxStatus): ConsoleUi {
  return createStore<ConsoleUiState>()(() => ({
    auth: 'checking',
    loginError: null,
    loginRetryAfterS: null,
    loginRole: null,
    session: null,
    queue: 'toFile',
    filters: NO_FILTERS,
    serverMatches: null,
    searching: false,
    selectedId: null,
    dialog: null,
    help: false,
    outbox,
    durable: true,
    acked: new Map(),
    toasts: [],
  }));
}
