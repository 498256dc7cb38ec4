import { describe, expect, it } from 'vitest';
import {
  browserModeLines,
  cannotStartLine,
  decideLaunch,
  findElectronBinary,
  hasDisplay,
  needsBuild,
  startupFailure,
} from './launch';
import { wallPlanInputFromName } from './main/layout-input';

const missing = () => {
  throw new Error('Electron failed to install correctly, please delete node_modules/electron and try installing again');
};

describe('findElectronBinary', () => {
  it('says the binary is not installed when the electron package throws (skipped download)', () => {
    expect(findElectronBinary(missing, () => true)).toEqual({ ok: false, reason: 'binary not installed' });
  });

  it('says the same when the path it names does not exist', () => {
    expect(
      findElectronBinary(
        () => '/x/dist/electron',
        () => false,
      ),
    ).toEqual({ ok: false, reason: 'binary not installed' });
  });

  it('finds an installed binary', () => {
    expect(
      findElectronBinary(
        () => '/x/dist/electron',
        () => true,
      ),
    ).toEqual({ ok: true, path: '/x/dist/electron' });
  });
});

describe('decideLaunch', () => {
  const installed = { ok: true as const, path: '/x/electron' };

  it('runs Electron where the binary and a display exist', () => {
    expect(
      decideLaunch({ electron: installed, platform: 'linux', env: { DISPLAY: ':0' }, browserRequested: false }),
    ).toEqual({ mode: 'electron', electronPath: '/x/electron' });
    expect(decideLaunch({ electron: installed, platform: 'win32', env: {}, browserRequested: false }).mode).toBe(
      'electron',
    );
  });

  it('falls back to browser mode without the binary, without a display, or when asked', () => {
    const env = { DISPLAY: ':0' };
    expect(
      decideLaunch({
        electron: { ok: false, reason: 'binary not installed' },
        platform: 'linux',
        env,
        browserRequested: false,
      }),
    ).toEqual({ mode: 'browser', reason: 'binary not installed' });
    expect(decideLaunch({ electron: installed, platform: 'linux', env: {}, browserRequested: false })).toEqual({
      mode: 'browser',
      reason: 'no display: DISPLAY is not set',
    });
    expect(decideLaunch({ electron: installed, platform: 'linux', env, browserRequested: true }).mode).toBe('browser');
  });

  it('accepts Wayland as a display', () => {
    expect(hasDisplay('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBe(true);
  });
});

describe('startupFailure', () => {
  it('reads why Electron exited at once from its first stderr line', () => {
    expect(
      startupFailure({
        code: 1,
        signal: null,
        afterMs: 420,
        stderr:
          '[1234:1123/120000.000:FATAL:electron_main_delegate.cc(294)] Running as root without --no-sandbox is not supported.\n',
      }),
    ).toBe('exited with code 1 after 0.4 s: Running as root without --no-sandbox is not supported.');
    expect(startupFailure({ code: null, signal: 'SIGSEGV', afterMs: 100, stderr: '' })).toBe(
      'killed by SIGSEGV after 0.1 s',
    );
  });

  it('takes a later exit as the app ending, not a failure to start', () => {
    expect(startupFailure({ code: 0, signal: null, afterMs: 60_000, stderr: '' })).toBeNull();
  });
});

describe('what npm start prints', () => {
  it('says in one line why it runs in browser mode', () => {
    expect(cannotStartLine('binary not installed')).toBe(
      'Electron cannot start here (binary not installed): running in browser mode.',
    );
  });

  it('lists every wall display of the layout, the preview, the console and the presenter', () => {
    const lines = browserModeLines('http://127.0.0.1:8080', wallPlanInputFromName('wall-3x2'), 'zh-CN');
    expect(lines).toHaveLength(9);
    expect(lines[0]).toBe('  wall 0   http://127.0.0.1:8080/wall?display=0&layout=wall-3x2&lang=zh-CN');
    expect(lines[6]).toBe('  preview  http://127.0.0.1:8080/preview?layout=wall-3x2&lang=zh-CN');
    expect(lines[7]).toBe('  console  http://127.0.0.1:8080/console?lang=zh-CN');
    expect(lines[8]).toContain('http://127.0.0.1:8080/presenter?lang=zh-CN');
  });
});

describe('needsBuild', () => {
  it('builds when there is no build or a source changed since', () => {
    expect(needsBuild(null, 0)).toBe(true);
    expect(needsBuild(1000, 2000)).toBe(true);
    expect(needsBuild(2000, 1000)).toBe(false);
  });
});
