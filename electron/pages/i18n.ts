import type { UiLanguage } from '../../protocol/ipc';

/** Words of the shell's local pages (settings, connecting): zh-CN first, English second. */
const zhCN = {
  settingsTitle: 'GridWall 设置',
  serverUrl: '服务器地址',
  serverUrlHint: '大屏从此服务器加载，例如 http://10.0.0.5:8080',
  layout: '布局',
  layoutHint: 'resources/layouts 中的布局名，例如 single、wall-3x2、wall-4x3',
  language: '界面语言',
  consoleDisplay: '调度台显示器',
  consoleAuto: '自动（大屏未使用的显示器）',
  consoleOff: '不打开调度台',
  wallWindows: '大屏窗口',
  kiosk: 'Kiosk 全屏',
  alwaysOnTop: '总在最前',
  hideCursor: '鼠标静止几秒后隐藏（0 为不隐藏）',
  softReload: '每日软重载时间（安静时段）',
  softReloadNone: '不软重载',
  extraOrigins: '其他允许的地址（自建瓦片服务器，每行一个）',
  deviceToken: '设备凭据',
  deviceTokenHint: '大屏用此凭据登录；只写入，不会再显示',
  deviceTokenSet: '已保存凭据',
  deviceTokenNone: '未保存凭据',
  clearToken: '删除已保存的凭据',
  protectionOs: '由操作系统钥匙串加密',
  protectionWeak: '警告：本机没有钥匙串，凭据仅做弱加密',
  protectionUnavailable: '警告：无法加密，凭据只在本次运行中保留',
  save: '保存',
  saved: '已保存，窗口已按新设置重新安排',
  failed: '未保存：',
  display: (n: number, w: number, h: number, primary: boolean) =>
    `显示器 ${n}（${w}×${h}${primary ? '，主显示器' : ''}）`,
  shortcuts: '快捷键：Ctrl+Alt+S 设置 · Ctrl+Alt+R 重载 · Ctrl+Alt+Q 退出',
  connectingTitle: '正在连接服务器…',
  connectingBody: '服务器恢复应答后，大屏将自动重新加载。',
  reason: '原因',
  since: '开始时间',
};

type Words = typeof zhCN;

const en: Words = {
  settingsTitle: 'GridWall settings',
  serverUrl: 'Server URL',
  serverUrlHint: 'The wall loads from this server, e.g. http://10.0.0.5:8080',
  layout: 'Layout',
  layoutHint: 'A layout name from resources/layouts, e.g. single, wall-3x2, wall-4x3',
  language: 'Language',
  consoleDisplay: 'Console display',
  consoleAuto: 'Automatic (a display the wall does not use)',
  consoleOff: 'No console window',
  wallWindows: 'Wall windows',
  kiosk: 'Kiosk fullscreen',
  alwaysOnTop: 'Always on top',
  hideCursor: 'Hide the cursor after it rests this many seconds (0: never)',
  softReload: 'Daily soft reload at (a quiet hour)',
  softReloadNone: 'No soft reload',
  extraOrigins: 'Other allowed origins (own tile servers, one per line)',
  deviceToken: 'Device credential',
  deviceTokenHint: 'The wall logs in with it; write-only, never shown again',
  deviceTokenSet: 'A credential is stored',
  deviceTokenNone: 'No credential stored',
  clearToken: 'Remove the stored credential',
  protectionOs: 'Encrypted by the OS keychain',
  protectionWeak: 'Warning: no keychain on this machine, the credential is only weakly protected',
  protectionUnavailable: 'Warning: cannot encrypt; the credential is kept for this run only',
  save: 'Save',
  saved: 'Saved; the windows were re-arranged',
  failed: 'Not saved: ',
  display: (n: number, w: number, h: number, primary: boolean) =>
    `Display ${n} (${w}×${h}${primary ? ', primary' : ''})`,
  shortcuts: 'Shortcuts: Ctrl+Alt+S settings · Ctrl+Alt+R reload · Ctrl+Alt+Q quit',
  connectingTitle: 'Connecting to the server…',
  connectingBody: 'The wall reloads by itself as soon as the server answers.',
  reason: 'Reason',
  since: 'Since',
};

export const words = (language: string | null): Words => (language === 'en' ? en : zhCN);
export const pageLanguage = (): UiLanguage =>
  new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'zh-CN';
