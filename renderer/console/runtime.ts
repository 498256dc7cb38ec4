import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Command, Department } from '../../protocol';
import { layoutNames } from '../layout/layouts';
import { applyBatch, storeSink } from '../state/apply';
import { createWallStore, type WallStore } from '../state/store';
import { StreamBridge } from '../stream/bridge';
import type { SessionInfo } from './auth';
import { ConsoleDialogs } from './dialogs';
import { SharedSelection } from './focus';
import { ConsoleLists } from './lists';
import { Outbox } from './outbox';
import { openOutboxStorage } from './outboxIdb';
import { ConsoleSession } from './session';
import { type ConsoleUi, type ConsoleUiState, createConsoleUi } from './state';
import { sendCommandHttp } from './transport';

/** What tests and the benchmark read from the page (`window.__gridwallConsole`). */
export interface ConsoleDebugHandle {
  store: WallStore;
  ui: StoreApi<ConsoleUiState>;
  outbox: Outbox;
  /** Epoch ms (sub-ms) of each command's send and its answer, by commandId: the bench's marks. */
  marks: Map<string, { queuedAt: number; appliedAt: number | null }>;
}

const timers = {
  now: () => Date.now(),
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * The console page's engine, put together: the wall's stream worker and store (the same code as
 * the wall), the session, the outbox, the lists and the selection (shown on the walls), and the
 * dialogs. Each of those is its own module; this wires them.
 */
export class ConsoleRuntime {
  readonly store: WallStore = createWallStore();
  /** Departments and the categories they take (dispatch suggestions), from each snapshot. */
  readonly departments: StoreApi<ReadonlyMap<string, Department>> = createStore(() => new Map());
  readonly bridge: StreamBridge;
  readonly ui: ConsoleUi;
  outbox: Outbox;
  readonly session: ConsoleSession;
  readonly lists: ConsoleLists;
  readonly dialogs: ConsoleDialogs;
  private readonly selection: SharedSelection;
  private started = false;
  private disposers: Array<() => void> = [];

  constructor(
    private readonly origin: string,
    params: URLSearchParams,
    createWorker: () => Worker = () =>
      new Worker(new URL('../stream/worker.ts', import.meta.url), { type: 'module', name: 'stream' }),
  ) {
    const sink = storeSink(this.store);
    this.bridge = new StreamBridge(
      createWorker(),
      {
        connection: sink.connection,
        batch: (batch, now) => {
          applyBatch(this.store, batch, now);
          if (batch.snapshot)
            this.departments.setState(new Map(batch.snapshot.departments.map((d) => [d.id, d])), true);
        },
      },
      () => this.session.tokenAfterLogin(),
    );
    this.outbox = new Outbox(
      { load: async () => [], put: async () => undefined, delete: async () => undefined },
      async () => ({ kind: 'unauthorized' }),
      timers,
    );
    this.ui = createConsoleUi(this.outbox.getStatus());
    this.session = new ConsoleSession(origin, this.ui, (session) => this.onSessionBegin(session));
    // The console's choice goes to every wall this origin shows (or the one named by ?wall=).
    this.selection = new SharedSelection(
      this.store,
      this.bridge,
      params.get('wall') ? [params.get('wall') as string] : layoutNames(),
    );
    this.lists = new ConsoleLists(origin, this.store, this.ui, (id) => this.selection.show(id));
    this.dialogs = new ConsoleDialogs(this.store, this.ui, () => this.outbox);
    this.publishDebugHandle();
  }

  /** Opens the outbox, then resumes a stored session or asks for a login. */
  async start(): Promise<void> {
    const { storage, durable } = await openOutboxStorage();
    this.outbox = new Outbox(storage, (cmd) => this.sendNow(cmd), timers);
    this.publishDebugHandle();
    this.disposers.push(
      this.outbox.subscribe((status) => {
        this.ui.setState({ outbox: status });
        if (status.needsLogin && this.ui.getState().auth === 'ready') this.session.expire();
      }),
      this.outbox.onApplied((n) => this.dialogs.onApplied(n)),
    );
    this.ui.setState({ durable, outbox: this.outbox.getStatus() });
    // The stream coming back is the best moment to retry what waits.
    this.disposers.push(
      this.store.subscribe((s, prev) => {
        if (s.connection.state === 'live' && prev.connection.state !== 'live') this.outbox.kick();
      }),
    );
    await this.session.resume();
    await this.outbox.init();
  }

  dispose(): void {
    this.lists.dispose();
    for (const d of this.disposers) d();
    this.session.dispose();
    this.selection.close();
    this.bridge.stop();
  }

  /** A session began: the outbox sends with it, and the stream starts (once). */
  private onSessionBegin(session: SessionInfo): void {
    this.outbox.setSender((cmd) => this.sendNow(cmd));
    if (!this.started) {
      this.started = true;
      this.bridge.start({ origin: this.origin, token: session.token });
    }
    this.outbox.kick();
  }

  private sendNow(cmd: Command) {
    const s = this.ui.getState().session;
    if (!s) return Promise.resolve({ kind: 'unauthorized' as const });
    return sendCommandHttp(this.origin, s.token, cmd);
  }

  private publishDebugHandle(): void {
    (globalThis as { __gridwallConsole?: ConsoleDebugHandle }).__gridwallConsole = {
      store: this.store,
      ui: this.ui,
      outbox: this.outbox,
      marks: this.dialogs.marks,
    };
  }
}
