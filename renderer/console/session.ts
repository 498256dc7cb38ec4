import { loadCenterCalendar } from '../state/center';
import {
  checkToken,
  DEFAULT_RENEWAL,
  loadStoredSession,
  login,
  renew,
  renewalStep,
  type SessionInfo,
  storeSession,
} from './auth';
import type { ConsoleUi } from './state';

/**
 * The supervisor's session: resumed from storage or logged in, renewed while they work, expired
 * (asking for the password again over the screen as it is) when the server refuses it.
 */
export class ConsoleSession {
  private tokenWaiters: Array<(token: string) => void> = [];
  private lastRenewAt = Date.now();
  private lastActivityAt = Date.now();
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly onActivity = () => {
    this.lastActivityAt = Date.now();
  };

  constructor(
    private readonly origin: string,
    private readonly ui: ConsoleUi,
    /** A session began (a login, or one resumed): the outbox and the stream may use its token. */
    private readonly onBegin: (session: SessionInfo) => void,
  ) {}

  /** Watches for activity (renewal), then resumes the stored session or asks for a login. */
  async resume(): Promise<void> {
    addEventListener('keydown', this.onActivity, true);
    addEventListener('pointerdown', this.onActivity, true);
    this.timer = setInterval(() => void this.tick(), 15_000);

    const stored = loadStoredSession();
    if (!stored) {
      this.ui.setState({ auth: 'login' });
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
  }

  async login(username: string, password: string): Promise<boolean> {
    const r = await login(this.origin, username, password);
    if (!r.ok) {
      this.ui.setState({ loginError: r.error, loginRole: r.role ?? null, loginRetryAfterS: r.retryAfterS ?? null });
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

  /** The session ran out or was refused: ask for the password again over the screen as it is. */
  expire(): void {
    if (this.ui.getState().auth === 'expired') return;
    this.ui.setState({ auth: 'expired', loginError: null });
  }

  /** A token was refused (the stream's): resolves once the supervisor has logged in again. */
  tokenAfterLogin(): Promise<string> {
    this.expire();
    return new Promise((resolve) => this.tokenWaiters.push(resolve));
  }

  dispose(): void {
    removeEventListener('keydown', this.onActivity, true);
    removeEventListener('pointerdown', this.onActivity, true);
    if (this.timer !== null) clearInterval(this.timer);
  }

  private begin(session: SessionInfo): void {
    storeSession(session);
    this.lastRenewAt = Date.now();
    this.ui.setState({ auth: 'ready', session, loginError: null, loginRole: null });
    this.onBegin(session);
    const waiters = this.tokenWaiters;
    this.tokenWaiters = [];
    for (const w of waiters) w(session.token);
    void loadCenterCalendar(this.origin, session.token);
  }

  private async tick(): Promise<void> {
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
}
