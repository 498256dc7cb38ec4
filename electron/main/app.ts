import { join } from 'node:path';
import { app, ipcMain, Menu } from 'electron';
import { RotatingLog } from './log';
import { Shell } from './shell';

/** The main log, under userData; uncaught errors go to it. */
function openLog(): RotatingLog {
  const log = new RotatingLog({
    file: join(app.getPath('userData'), 'logs', 'main.log'),
    echo: app.isPackaged ? undefined : (line) => process.stdout.write(`${line}\n`),
  });
  process.on('uncaughtException', (error) => log.error('uncaught exception', { error: error.stack ?? error.message }));
  process.on('unhandledRejection', (reason) => log.error('unhandled rejection', { reason: String(reason) }));
  log.info('GridWall shell starting', { version: app.getVersion(), electron: process.versions.electron });
  return log;
}

/** The main process, in its steps. */
export const runApp = (): void => {
  // A separate profile (tests, a second wall on one machine): settings, logs and the single-instance
  // lock all live under userData.
  if (process.env.GRIDWALL_USER_DATA) app.setPath('userData', process.env.GRIDWALL_USER_DATA);
  // A second launch hands over to the running one and leaves.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  const log = openLog();
  // No menu: no devtools or reload accelerators on a wall; our shortcuts are in electron-window.ts.
  Menu.setApplicationMenu(null);
  const shell = new Shell(log);
  shell.watchApp();
  const router = shell.ipcRouter();
  app
    .whenReady()
    .then(async () => {
      shell.loadSettings();
      shell.police();
      router.attach(ipcMain);
      // Before any page loads: the wall pages find the device credential in their cookie.
      await shell.syncCredentialCookie();
      shell.replan('start');
      shell.watchDisplays();
      shell.watchCursor();
    })
    .catch((error: unknown) => {
      log.error('start failed', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      app.exit(1);
    });
};
