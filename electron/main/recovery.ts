import { Health } from '../../protocol/http';

/**
 * How a window comes back by itself: a wall runs for months with nobody at the keyboard.
 * - A renderer that crashes is reloaded after a delay that doubles with each failure in a row
 *   (1 s, 2 s, 4 s … capped at a minute) and resets once the page has stayed up a while.
 * - A renderer that hangs gets a grace period to answer again, then is killed and reloaded.
 * - No reload goes to the server before it answers `/health`: meanwhile the window shows a local
 *   "connecting" page rather than Chromium's error page.
 * - A daily soft reload at a quiet hour clears whatever a long-running page accumulates.
 * Everything takes its clock and timers from outside, so tests drive it with fake time.
 */

export interface Logger {
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** A page that stayed up this long since the last failure starts again from `initialMs`. */
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1_000, maxMs: 60_000, resetAfterMs: 5 * 60_000 };

/** Delays between reloads of one window: exponential, capped, forgiven after a quiet period. */
export class Backoff {
  private failures = 0;
  private lastFailureAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: BackoffOptions = DEFAULT_BACKOFF) {}

  /** A failure at `now`: which attempt in a row this is, and how long to wait before trying. */
  next(now: number): { attempt: number; delayMs: number } {
    if (now - this.lastFailureAt >= this.options.resetAfterMs) this.failures = 0;
    this.lastFailureAt = now;
    this.failures += 1;
    const delayMs = Math.min(this.options.maxMs, this.options.initialMs * 2 ** (this.failures - 1));
    return { attempt: this.failures, delayMs };
  }
}

/** Fetches `url` and returns its parsed JSON body; throws when there is no answer or it is not 2xx. */
export type HealthProbe = (url: string, signal: AbortSignal) => Promise<unknown>;

export const healthUrl = (serverUrl: string): string => {
  const base = new URL(serverUrl);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  return new URL('health', base).toString();
};

/** Whether the server answers `/health` with a valid, ok body. */
export const serverIsHealthy = async (serverUrl: string, probe: HealthProbe, signal: AbortSignal): Promise<boolean> => {
  try {
    const parsed = Health.safeParse(await probe(healthUrl(serverUrl), signal));
    return parsed.success && parsed.data.ok;
  } catch {
    return false;
  }
};

export class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

const sleep = (timers: Timers, ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Cancelled());
    const handle = timers.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      timers.clearTimeout(handle);
      reject(new Cancelled());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });

export interface WaitOptions {
  probe: HealthProbe;
  timers: Timers;
  signal: AbortSignal;
  /** Delay between probes: doubles from `initialMs` up to `maxMs`. */
  initialMs?: number;
  maxMs?: number;
  /** Called after each failed probe, e.g. to log every so often. */
  onWaiting?: (attempt: number, nextDelayMs: number) => void;
}

/** Resolves when the server answers `/health`; probes with growing delays until then (or cancelled). */
export const waitForServer = async (serverUrl: string, options: WaitOptions): Promise<number> => {
  const initial = options.initialMs ?? 500;
  const max = options.maxMs ?? 10_000;
  for (let attempt = 1; ; attempt++) {
    if (await serverIsHealthy(serverUrl, options.probe, options.signal)) return attempt;
    if (options.signal.aborted) throw new Cancelled();
    const delay = Math.min(max, initial * 2 ** (attempt - 1));
    options.onWaiting?.(attempt, delay);
    await sleep(options.timers, delay, options.signal);
  }
};

/** What the controller does to its window. */
export interface RecoveryTarget {
  key: string;
  /** Load the window's page from the server (its planned URL). */
  load(): void;
  /** Show the local "connecting" page, saying why. */
  showWaiting(reason: string): void;
  /** Kill a hung renderer (`forcefullyCrashRenderer`). */
  kill(): void;
}

export interface RecoveryOptions {
  serverUrl: string;
  probe: HealthProbe;
  timers: Timers;
  now: () => number;
  log: Logger;
  backoff?: BackoffOptions;
  /** How long a hung page may stay unresponsive before it is killed. */
  hangGraceMs?: number;
}

export type RecoveryState = 'running' | 'backing-off' | 'waiting-for-server' | 'disposed';

/** Recovery of one window: crashes, hangs, failed loads and the daily soft reload. */
export class RecoveryController {
  private readonly backoff: Backoff;
  private stateValue: RecoveryState = 'running';
  private abort = new AbortController();
  private hangTimer: unknown = null;

  constructor(
    private readonly target: RecoveryTarget,
    private readonly options: RecoveryOptions,
  ) {
    this.backoff = new Backoff(options.backoff ?? DEFAULT_BACKOFF);
  }

  get state(): RecoveryState {
    return this.stateValue;
  }

  /** `render-process-gone` (crashed, killed, out of memory…). */
  crashed(reason: string, exitCode?: number): void {
    this.recover('render process gone', { reason, exitCode });
  }

  /** The page could not be loaded (server down at start, network blink). */
  loadFailed(errorCode: number, description: string, url: string): void {
    this.recover('page failed to load', { errorCode, description, url });
  }

  /** `unresponsive`: wait for `responsive` a while, then kill and reload. */
  unresponsive(): void {
    if (this.stateValue !== 'running' || this.hangTimer !== null) return;
    const grace = this.options.hangGraceMs ?? 15_000;
    this.options.log.warn('window unresponsive', { window: this.target.key, graceMs: grace });
    this.hangTimer = this.options.timers.setTimeout(() => {
      this.hangTimer = null;
      this.options.log.error('window hung: killing its renderer', { window: this.target.key });
      // Recovery starts here, so the `render-process-gone` that the kill causes is absorbed.
      this.recover('renderer hung', { graceMs: grace });
      this.target.kill();
    }, grace);
  }

  responsive(): void {
    if (this.hangTimer === null) return;
    this.options.timers.clearTimeout(this.hangTimer);
    this.hangTimer = null;
    this.options.log.info('window responsive again', { window: this.target.key });
  }

  /** The scheduled quiet-hour reload: only when the server answers, otherwise skipped until tomorrow. */
  async softReload(): Promise<'reloaded' | 'skipped'> {
    if (this.stateValue !== 'running') return 'skipped';
    if (!(await serverIsHealthy(this.options.serverUrl, this.options.probe, this.abort.signal))) {
      this.options.log.warn('soft reload skipped: server not answering', { window: this.target.key });
      return 'skipped';
    }
    if (this.stateValue !== 'running') return 'skipped';
    this.options.log.info('soft reload', { window: this.target.key });
    this.target.load();
    return 'reloaded';
  }

  dispose(): void {
    this.stateValue = 'disposed';
    this.abort.abort();
    if (this.hangTimer !== null) this.options.timers.clearTimeout(this.hangTimer);
    this.hangTimer = null;
  }

  private recover(what: string, data: Record<string, unknown>): void {
    if (this.stateValue === 'disposed') return;
    if (this.stateValue !== 'running') {
      this.options.log.info(`${what} while recovering: already on it`, { window: this.target.key, ...data });
      return;
    }
    if (this.hangTimer !== null) {
      this.options.timers.clearTimeout(this.hangTimer);
      this.hangTimer = null;
    }
    const { attempt, delayMs } = this.backoff.next(this.options.now());
    this.options.log.error(what, { window: this.target.key, attempt, reloadInMs: delayMs, ...data });
    this.stateValue = 'backing-off';
    this.target.showWaiting(what);
    void this.run(delayMs, attempt);
  }

  private async run(delayMs: number, attempt: number): Promise<void> {
    const signal = this.abort.signal;
    try {
      await sleep(this.options.timers, delayMs, signal);
      this.stateValue = 'waiting-for-server';
      const probes = await waitForServer(this.options.serverUrl, {
        probe: this.options.probe,
        timers: this.options.timers,
        signal,
        onWaiting: (n, next) => {
          // Every probe would flood the log during a long outage; powers of two are enough.
          if ((n & (n - 1)) === 0)
            this.options.log.warn('waiting for server', { window: this.target.key, probes: n, nextMs: next });
        },
      });
      if (signal.aborted) return;
      this.options.log.info('server answers: reloading', { window: this.target.key, attempt, probes });
      this.stateValue = 'running';
      this.target.load();
    } catch (error) {
      if (!(error instanceof Cancelled)) throw error;
    }
  }
}

/**
 * The next time (ms since epoch) of the daily soft reload at local "HH:MM" strictly after `now`;
 * null when there is none configured.
 */
export const nextSoftReloadAt = (now: number, at: string | null): number | null => {
  if (at === null) return null;
  const m = /^(\d{2}):(\d{2})$/.exec(at);
  if (!m) return null;
  const next = new Date(now);
  next.setHours(Number(m[1]), Number(m[2]), 0, 0);
  if (next.getTime() <= now) next.setDate(next.getDate() + 1);
  return next.getTime();
};

/** Runs `fn` every day at local "HH:MM"; re-reads the clock each time, so DST and clock changes are followed. */
export const scheduleDaily = (
  at: string | null,
  fn: () => void,
  timers: Timers,
  now: () => number,
): { cancel(): void; nextAt(): number | null } => {
  let handle: unknown = null;
  let nextAt: number | null = null;
  const arm = () => {
    nextAt = nextSoftReloadAt(now(), at);
    if (nextAt === null) return;
    handle = timers.setTimeout(
      () => {
        handle = null;
        fn();
        arm();
      },
      Math.max(0, nextAt - now()),
    );
  };
  arm();
  return {
    cancel: () => {
      if (handle !== null) timers.clearTimeout(handle);
      handle = null;
      nextAt = null;
    },
    nextAt: () => nextAt,
  };
};
