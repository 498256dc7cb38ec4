import { createStore, type StoreApi } from 'zustand/vanilla';
import { type Case, Command, describeZodError, type Role } from '../../protocol';
import type { WorkingCalendar } from '../../protocol/calendar';
import { statusAfter } from '../../protocol/lifecycle';
import { FocusChannel } from '../focus/channel';
import { layoutNames } from '../layout/layouts';
import { setFocus } from '../state/apply';
import { createWallStore, type WallStore } from '../state/store';
import { StreamBridge } from '../stream/bridge';
import type { CaseLite } from '../stream/types';
import { ACTION_DEFS, type ActionId } from './actions';
import {
  type AppliedNotice,
  expectedVersionFor,
  newCommandId,
  Outbox,
  type OutboxEntry,
  type OutboxStatus,
} from './outbox';
import { openOutboxStorage } from './outboxIdb';
import {
  computeQueues,
  type Filters,
  gridsUnder,
  looksLikePhone,
  NO_FILTERS,
  type QueueId,
  type QueueResult,
} from './queues';
import {
  checkToken,
  DEFAULT_RENEWAL,
  type LoginError,
  loadStoredSession,
  login,
  renew,
  renewalStep,
  type SessionInfo,
  storeSession,
} from './session';
import { sendCommandHttp } from './transport';
import { defaultCalendar, fetchCalendar } from './workingTime';

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

export interface ConsoleUiState {
  auth: AuthState;
  loginError: LoginError | null;
  loginRole: Role | null;
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
  calendar: WorkingCalendar;
}

/**
 * An open dialog decided on top of the operator's own waiting command moves to the version that
 * command produced once it is applied: the change is the operator's own, not a conflict.
 */
export function rebaseDialog(dialog: DialogState | null, applied: AppliedNotice): DialogState | null {
  if (!dialog || dialog.builtOn !== applied.entry.command.commandId) return dialog;
  return { ...dialog, version: Math.max(dialog.version, applied.case.version), builtOn: null };
}

/** What tests and the benchmark read from the page (`window.__gridwallConsole`). */
export interface ConsoleDebugHandle {
  store: WallStore;
  ui: StoreApi<ConsoleUiState>;
  outbox: Outbox;
  /** Epoch ms (sub-ms) of each command's send and its answer, by commandId: the bench's marks. */
  marks: Map<string, { queuedAt: number; appliedAt: number | null }>;
}

const preciseNow = (): number => performance.timeOrigin + performance.now();

/**
 * The console page's engine: the wall's stream worker and store (the same code as the wall),
 * the supervisor's session, the outbox, and the focus channel the wall listens on.
 */
export class ConsoleRuntime {
  readonly store: WallStore = createWallStore();
  readonly bridge: StreamBridge;
  readonly ui: StoreApi<ConsoleUiState>;
  outbox: Outbox;
  private readonly channels: FocusChannel[];
  private focusState = { caseId: null as string | null, at: 0 };
  private started = false;
  private tokenWaiters: Array<(token: string) => void> = [];
  private timers: Array<ReturnType<typeof setInterval>> = [];
  private focusTimer: ReturnType<typeof setTimeout> | null = null;
  private fetchTimer: ReturnType<typeof setTimeout> | null = null;
  private searchTimer: ReturnType<typeof setTimeout> | null = null;
  private searchSeq = 0;
  private toastSeq = 0;
  private dialogSeq = 0;
  private lastRenewAt = Date.now();
  private lastActivityAt = Date.now();
  private disposers: Array<() => void> = [];
  readonly marks = new Map<string, { queuedAt: number; appliedAt: number | null }>();
  /** The queues, filtered and sorted: recomputed at most a few times a second as cases change. */
  readonly lists: StoreApi<{ result: QueueResult; at: number }>;
  private listTimer: ReturnType<typeof setTimeout> | null = null;
  private listAt = 0;
  private grids: { areaId: string | null; set: Set<string> | null } = { areaId: null, set: null };
  /** Where the selection was in the current list, to move on from when it leaves the list. */
  private lastIndex = 0;
  private queueBeforeSearch: QueueId | null = null;

  constructor(
    private readonly origin: string,
    params: URLSearchParams,
    createWorker: () => Worker = () =>
      new Worker(new URL('../stream/worker.ts', import.meta.url), { type: 'module', name: 'stream' }),
  ) {
    this.bridge = new StreamBridge(this.store, createWorker(), () => this.tokenAfterLogin());
    // The console's choice goes to every wall this origin shows (or the one named by ?wall=).
    const walls = params.get('wall') ? [params.get('wall') as string] : layoutNames();
    this.channels = walls.map(
      (w) =>
        new FocusChannel(
          w,
          () => this.focusState,
          // A choice made on the wall does not move the supervisor's selection.
          () => undefined,
        ),
    );
    this.outbox = new Outbox(
      { load: async () => [], put: async () => undefined, delete: async () => undefined },
      async () => ({ kind: 'unauthorized' }),
      timers,
    );
    this.ui = createStore<ConsoleUiState>()(() => ({
      auth: 'checking',
      loginError: null,
      loginRole: null,
      session: null,
      queue: 'toFile',
      filters: NO_FILTERS,
      serverMatches: null,
      searching: false,
      selectedId: null,
      dialog: null,
      help: false,
      outbox: this.outbox.getStatus(),
      durable: true,
      acked: new Map(),
      toasts: [],
      calendar: defaultCalendar(),
    }));
    this.lists = createStore(() => ({
      result: computeQueues([], NO_FILTERS, null, null),
      at: 0,
    }));
    this.disposers.push(
      this.store.subscribe((s, prev) => {
        if (s.cases.rev !== prev.cases.rev || s.areas.version !== prev.areas.version) this.scheduleLists();
      }),
      this.ui.subscribe((s, prev) => {
        if (s.filters !== prev.filters || s.serverMatches !== prev.serverMatches) this.recomputeLists();
      }),
    );
    (globalThis as { __gridwallConsole?: ConsoleDebugHandle }).__gridwallConsole = {
      store: this.store,
      ui: this.ui,
      outbox: this.outbox,
      marks: this.marks,
    };
  }

  private scheduleLists(): void {
    if (this.listTimer) return;
    const wait = Math.max(0, LIST_EVERY_MS - (Date.now() - this.listAt));
    this.listTimer = setTimeout(() => {
      this.listTimer = null;
      this.recomputeLists();
    }, wait);
  }

  private recomputeLists(): void {
    const s = this.store.getState();
    const ui = this.ui.getState();
    const areaId = ui.filters.areaId;
    if (this.grids.areaId !== areaId) {
      this.grids = { areaId, set: areaId ? gridsUnder(s.areas.list, areaId) : null };
    }
    this.listAt = Date.now();
    this.lists.setState({
      // Matches found for another text (the search is still on its way) must not leak into this one.
      result: computeQueues(
        s.cases.byId.values(),
        ui.filters,
        this.grids.set,
        ui.serverMatches && ui.serverMatches.text === ui.filters.text.trim() ? ui.serverMatches.ids : null,
      ),
      at: this.listAt,
    });
  }

  /** The list on screen now. */
  currentList(): CaseLite[] {
    return this.lists.getState().result.lists[this.ui.getState().queue];
  }

  /** Moves the selection by `delta` rows (or to an end), from where it is or where it left the list. */
  move(delta: number | 'first' | 'last'): void {
    const list = this.currentList();
    if (list.length === 0) return;
    const selected = this.ui.getState().selectedId;
    const at = selected ? list.findIndex((c) => c.id === selected) : -1;
    let next: number;
    if (delta === 'first') next = 0;
    else if (delta === 'last') next = list.length - 1;
    else if (at >= 0) next = at + delta;
    // The selected case left the list (filed, dispatched…): the row that took its place is next.
    else if (selected) next = delta > 0 ? this.lastIndex + delta - 1 : this.lastIndex + delta;
    else next = delta > 0 ? 0 : list.length - 1;
    next = Math.max(0, Math.min(list.length - 1, next));
    const c = list[next];
    if (c) this.select(c.id, next);
  }

  /** Opens the outbox, then resumes a stored session or asks for a login. */
  async start(): Promise<void> {
    const { storage, durable } = await openOutboxStorage();
    this.outbox = new Outbox(storage, (cmd) => this.sendNow(cmd), timers);
    (globalThis as { __gridwallConsole?: ConsoleDebugHandle }).__gridwallConsole = {
      store: this.store,
      ui: this.ui,
      outbox: this.outbox,
      marks: this.marks,
    };
    this.disposers.push(
      this.outbox.subscribe((status) => {
        this.ui.setState({ outbox: status });
        if (status.needsLogin && this.ui.getState().auth === 'ready') this.expire();
      }),
      this.outbox.onApplied((n) => this.onApplied(n)),
    );
    this.ui.setState({ durable, outbox: this.outbox.getStatus() });

    // The stream coming back is the best moment to retry what waits.
    this.disposers.push(
      this.store.subscribe((s, prev) => {
        if (s.connection.state === 'live' && prev.connection.state !== 'live') this.outbox.kick();
      }),
    );
    const activity = () => {
      this.lastActivityAt = Date.now();
    };
    addEventListener('keydown', activity, true);
    addEventListener('pointerdown', activity, true);
    this.disposers.push(() => {
      removeEventListener('keydown', activity, true);
      removeEventListener('pointerdown', activity, true);
    });
    this.timers.push(setInterval(() => void this.sessionTick(), 15_000));

    const stored = loadStoredSession();
    if (!stored) {
      this.ui.setState({ auth: 'login' });
      await this.outbox.init();
      return;
    }
    const check = await checkToken(this.origin, stored.token);
    if (check.ok) this.begin(check.session);
    else if (check.error === 'network') {
      // The server is away (the page came from the offline cache): work on, the outbox waits.
      this.begin(stored);
    } else {
      storeSession(null);
      this.ui.setState({
        auth: 'login',
        loginError: check.error === 'role' ? 'role' : null,
        loginRole: check.role ?? null,
      });
    }
    await this.outbox.init();
  }

  async login(username: string, password: string): Promise<boolean> {
    const r = await login(this.origin, username, password);
    if (!r.ok) {
      this.ui.setState({ loginError: r.error, loginRole: r.role ?? null });
      return false;
    }
    this.begin(r.session);
    return true;
  }

  async logout(): Promise<void> {
    const s = this.ui.getState().session;
    storeSession(null);
    if (s) {
      await fetch(`${this.origin}/api/logout`, {
        method: 'POST',
        headers: { authorization: `Bearer ${s.token}` },
      }).catch(() => undefined);
    }
    location.reload();
  }

  private begin(session: SessionInfo): void {
    storeSession(session);
    this.lastRenewAt = Date.now();
    this.ui.setState({ auth: 'ready', session, loginError: null, loginRole: null });
    this.outbox.setSender((cmd) => this.sendNow(cmd));
    if (!this.started) {
      this.started = true;
      this.bridge.start({ origin: this.origin, token: session.token });
    }
    const waiters = this.tokenWaiters;
    this.tokenWaiters = [];
    for (const w of waiters) w(session.token);
    this.outbox.kick();
    void fetchCalendar(this.origin, session.token).then((calendar) => this.ui.setState({ calendar }));
  }

  /** The session ran out or was refused: ask for the password again over the screen as it is. */
  expire(): void {
    if (this.ui.getState().auth === 'expired') return;
    this.ui.setState({ auth: 'expired', loginError: null });
  }

  /** The stream worker's token was refused: resolves once the supervisor has logged in again. */
  private tokenAfterLogin(): Promise<string> {
    this.expire();
    return new Promise((resolve) => this.tokenWaiters.push(resolve));
  }

  private sendNow(cmd: Command) {
    const s = this.ui.getState().session;
    if (!s) return Promise.resolve({ kind: 'unauthorized' as const });
    return sendCommandHttp(this.origin, s.token, cmd);
  }

  private async sessionTick(): Promise<void> {
    const s = this.ui.getState();
    if (s.auth !== 'ready' || !s.session) return;
    const step = renewalStep(
      Date.now(),
      { expiresAt: s.session.expiresAt, lastRenewAt: this.lastRenewAt, lastActivityAt: this.lastActivityAt },
      DEFAULT_RENEWAL,
    );
    if (step === 'expired') return this.expire();
    if (step !== 'renew') return;
    const r = await renew(this.origin, s.session.token);
    if (r.ok) {
      this.lastRenewAt = Date.now();
      const session = { ...s.session, expiresAt: r.expiresAt };
      storeSession(session);
      this.ui.setState({ session });
    } else if (r.error === 'expired') this.expire();
  }

  // ---- selection and the wall ----

  select(caseId: string | null, index?: number): void {
    if (index !== undefined) this.lastIndex = index;
    else if (caseId) {
      const i = this.currentList().findIndex((c) => c.id === caseId);
      if (i >= 0) this.lastIndex = i;
    }
    if (this.ui.getState().selectedId === caseId) return;
    this.ui.setState({ selectedId: caseId });
    setFocus(this.store, caseId, 'local');
    // Arrowing through a list must not hammer the server or swing the wall's map at every row.
    if (this.fetchTimer) clearTimeout(this.fetchTimer);
    this.fetchTimer = setTimeout(() => this.bridge.setFocus(caseId), 80);
    if (this.focusTimer) clearTimeout(this.focusTimer);
    this.focusTimer = setTimeout(() => {
      this.focusState = { caseId, at: Date.now() };
      for (const c of this.channels) c.publish(this.focusState);
    }, 200);
  }

  // ---- queues, filters and search ----

  setQueue(queue: QueueId): void {
    if (this.ui.getState().queue === queue) return;
    this.ui.setState({ queue });
    this.lastIndex = 0;
  }

  setFilters(patch: Partial<Filters>): void {
    const before = this.ui.getState();
    const filters = { ...before.filters, ...patch };
    this.ui.setState({ filters });
    // A search looks across every queue; clearing it goes back to the queue it started from.
    if (patch.text !== undefined) {
      const searching = filters.text.trim() !== '';
      const was = before.filters.text.trim() !== '';
      if (searching && !was && before.queue !== 'all') {
        this.queueBeforeSearch = before.queue;
        this.setQueue('all');
      } else if (!searching && was && this.queueBeforeSearch) {
        this.setQueue(this.queueBeforeSearch);
        this.queueBeforeSearch = null;
      }
    }
    if (patch.text !== undefined) this.searchServer(filters.text);
  }

  /** Phone numbers and descriptions are searched by the server (the wall's records do not hold them). */
  private searchServer(text: string): void {
    if (this.searchTimer) clearTimeout(this.searchTimer);
    const q = text.trim();
    const seq = ++this.searchSeq;
    if (!q) {
      this.ui.setState({ serverMatches: null, searching: false });
      return;
    }
    this.ui.setState({ searching: true });
    this.searchTimer = setTimeout(
      async () => {
        const s = this.ui.getState().session;
        if (!s) return;
        const ids = new Set<string>();
        try {
          const res = await fetch(`${this.origin}/api/cases?q=${encodeURIComponent(q)}&limit=500`, {
            headers: { authorization: `Bearer ${s.token}` },
          });
          const body = (await res.json()) as { items?: Array<{ id?: unknown }> };
          for (const item of body.items ?? []) if (typeof item.id === 'string') ids.add(item.id);
        } catch {
          // Offline: the local search (code, address) still works.
        }
        if (seq === this.searchSeq) this.ui.setState({ serverMatches: { text: q, ids }, searching: false });
      },
      looksLikePhone(q) ? 150 : 300,
    );
  }

  // ---- dialogs and commands ----

  /** The case as the console now believes it: the stream's, or our last answer when newer. */
  caseLite(caseId: string): CaseLite | undefined {
    const lite = this.store.getState().cases.byId.get(caseId);
    const acked = this.ui.getState().acked.get(caseId);
    if (acked && (!lite || acked.version > lite.version)) {
      return {
        ...(lite ?? ({} as CaseLite)),
        id: acked.id,
        code: acked.code,
        category: acked.category,
        source: acked.source,
        priority: acked.priority,
        status: acked.status,
        level: acked.level,
        lng: acked.location.lng,
        lat: acked.location.lat,
        gridId: acked.gridId,
        address: acked.location.address,
        stage: acked.deadline?.stage ?? null,
        dueAt: acked.deadline?.dueAt ?? null,
        warned: acked.deadline?.warned ?? false,
        overdue: acked.deadline?.overdue ?? false,
        assignee: acked.assignee?.name ?? null,
        assigneeId: acked.assignee?.id ?? null,
        extensionRequested: acked.extension !== null,
        createdAt: acked.createdAt,
        updatedAt: acked.updatedAt,
        endedAt: null,
        version: acked.version,
      };
    }
    return lite;
  }

  /** The status once the commands still waiting for this case are applied. */
  predictedStatus(c: CaseLite): CaseLite['status'] {
    let status = c.status;
    for (const e of this.outbox.queuedFor(c.id)) status = statusAfter(e.command.type, status);
    return status;
  }

  openDialog(action: ActionId, caseId: string, redo?: OutboxEntry): void {
    const c = this.caseLite(caseId);
    if (!c) return;
    const version = expectedVersionFor(c.version, this.outbox, caseId);
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
    const builtOn = this.outbox.lastQueuedFor(caseId)?.command.commandId ?? null;
    const id = ++this.dialogSeq;
    this.ui.setState({
      dialog: { id, action, caseId, version, builtOn, prefill, redoOf: redo?.seq ?? null },
      help: false,
    });
  }

  closeDialog(): void {
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
    if (d.redoOf !== null) await this.outbox.dismiss(d.redoOf);
    await this.outbox.enqueue(command.data, { caseCode: c?.code ?? d.caseId, username: s.session.username });
    if (this.outbox.getStatus().offline) this.toast('queued', d.action, c?.code ?? d.caseId);
    return null;
  }

  private onApplied(n: AppliedNotice): void {
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

  dispose(): void {
    if (this.listTimer) clearTimeout(this.listTimer);
    for (const d of this.disposers) d();
    for (const t of this.timers) clearInterval(t);
    for (const c of this.channels) c.close();
    this.bridge.stop();
  }
}

const TOAST_MS = 4000;
const LIST_EVERY_MS = 200;

/** The console action a command came from. */
export function actionOf(cmd: Command): ActionId | null {
  if (cmd.type === 'extend') {
    return cmd.action === 'approve' ? 'approveExtension' : cmd.action === 'refuse' ? 'refuseExtension' : null;
  }
  return cmd.type === 'accept' || cmd.type === 'feedback' ? null : cmd.type;
}

const timers = {
  now: () => Date.now(),
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>),
};
