import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useConsole, useUi } from '../context';
import './LoginView.css';

/** The login form; over the workspace (`expired`) it keeps everything behind it as it was. */
export function LoginView(props: { expired?: boolean }) {
  const { t } = useTranslation();
  const runtime = useConsole();
  const error = useUi((s) => s.loginError);
  const role = useUi((s) => s.loginRole);
  const retryAfterS = useUi((s) => s.loginRetryAfterS);
  const previous = useUi((s) => s.session?.username ?? '');
  const [username, setUsername] = useState(props.expired ? previous : '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const userField = useRef<HTMLInputElement>(null);
  const passwordField = useRef<HTMLInputElement>(null);
  // The form is all there is to do: the cursor waits in the first empty field.
  useEffect(() => {
    (props.expired && previous ? passwordField : userField).current?.focus();
  }, [props.expired, previous]);

  const submit = async (ev: React.FormEvent) => {
    ev.preventDefault();
    if (busy || !username || !password) return;
    setBusy(true);
    const ok = await runtime.session.login(username.trim(), password);
    setBusy(false);
    if (!ok) setPassword('');
  };

  return (
    <form className="gc-login" onSubmit={submit} data-testid="login-form">
      <h1>{props.expired ? t('console.login.expiredTitle') : t('console.login.title')}</h1>
      <p className="gc-login-hint">{props.expired ? t('console.login.expiredHint') : t('console.login.hint')}</p>
      <label>
        <span>{t('console.login.username')}</span>
        <input
          name="username"
          autoComplete="username"
          value={username}
          ref={userField}
          onChange={(e) => setUsername(e.target.value)}
        />
      </label>
      <label>
        <span>{t('console.login.password')}</span>
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          ref={passwordField}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      {error ? (
        <div className="gc-login-error" role="alert" data-testid="login-error" data-error={error}>
          {error === 'role'
            ? t('console.login.role', { role: t(`console.role.${role ?? 'wall'}`) })
            : error === 'throttled'
              ? t('console.login.throttled', { seconds: retryAfterS ?? 1 })
              : t(`console.login.${error}`)}
        </div>
      ) : null}
      <button type="submit" className="gc-button gc-button-primary" disabled={busy}>
        {busy ? t('console.login.busy') : t('console.login.submit')}
      </button>
    </form>
  );
}
