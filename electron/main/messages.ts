import type { UiLanguage } from '../../protocol/ipc';

export interface Messages {
  displaysMissing(screens: string): string;
  consoleTitle: string;
  wallTitle(screen: number): string;
  settingsTitle: string;
  connectingTitle: string;
  anotherInstance: string;
}

/** The shell's own words (banners, dialogs, the tray of the local pages): zh-CN first, English second. */
const catalogue: Record<UiLanguage, Messages> = {
  'zh-CN': {
    displaysMissing: (screens: string) => `显示屏 ${screens} 未连接`,
    consoleTitle: '网格指挥中心 · 调度台',
    wallTitle: (screen: number) => `网格指挥中心 · 大屏 ${screen}`,
    settingsTitle: 'GridWall 设置',
    connectingTitle: '正在连接服务器…',
    anotherInstance: 'GridWall 已在运行',
  },
  en: {
    displaysMissing: (screens: string) => `Display ${screens} not connected`,
    consoleTitle: 'Grid command center · Console',
    wallTitle: (screen: number) => `Grid command center · Wall ${screen}`,
    settingsTitle: 'GridWall settings',
    connectingTitle: 'Connecting to the server…',
    anotherInstance: 'GridWall is already running',
  },
};

export const messages = (language: UiLanguage): Messages => catalogue[language];
