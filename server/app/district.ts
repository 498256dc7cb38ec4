import { isLoopbackHost, usesDemoPasswords } from '../access/auth';
import { type Clock, ScaledClock } from '../clock';
import { loadConfig, type ServerConfig } from '../config';
import { generatePreset, type PresetData, type PresetName } from '../presets';
import { HistoryClock } from '../simulator';
import type { Storage } from '../storage/store';
import { DEMO_CONFIG, PRESETS, type ServerOptions } from './options';

/** The config, refused when it has demo passwords and the server would listen beyond loopback. */
export function loadSafeConfig(host: string, configPath = DEMO_CONFIG): ServerConfig {
  const config = loadConfig(configPath);
  if (usesDemoPasswords(config.users) && !isLoopbackHost(host)) {
    throw new Error(
      `refusing to serve ${host}: the config ${configPath} has demo passwords (each user's name). Give users real password hashes or listen on 127.0.0.1.`,
    );
  }
  return config;
}

export interface District {
  presetName: PresetName;
  seed: number;
  preset: PresetData;
}

/** The data dir remembers its preset and seed: a restart continues the same district. */
export async function openDistrict(storage: Storage, options: ServerOptions): Promise<District> {
  const storedPreset = await storage.getMeta('preset');
  const presetName = (storedPreset ?? options.preset ?? 'district') as PresetName;
  if (!PRESETS.includes(presetName)) throw new Error(`unknown preset ${presetName}: use one of ${PRESETS.join(', ')}`);
  const seed = Number((await storage.getMeta('seed')) ?? options.seed ?? 1);
  if (storedPreset === null) {
    await storage.setMeta('preset', presetName);
    await storage.setMeta('seed', String(seed));
  }
  return { presetName, seed, preset: generatePreset(presetName, seed) };
}

export interface ServerTime {
  clock: Clock;
  speed: number;
  /** Set when history is to be filled first: the clock the simulator sets while it plays the past days. */
  history: { clock: HistoryClock; days: number; liveStart: number } | null;
}

/**
 * The server's clock: the caller's (tests), or scaled real time from the stored time on. With
 * `--history-days` at first start the simulator plays the past days on a clock it sets, then the
 * clock goes live (scaled) from where they end.
 */
export async function chooseClock(storage: Storage, options: ServerOptions): Promise<ServerTime> {
  const speed = options.speed ?? 1;
  const storedTime = Number((await storage.getMeta('clock')) ?? 0);
  const liveStart = Math.max(options.startAt ?? Date.now(), storedTime);
  const days = options.simulate && !options.clock ? (options.historyDays ?? 0) : 0;
  const historyClock =
    days > 0 && (await storage.caseCount()) === 0 ? new HistoryClock(liveStart - days * 86_400_000, speed) : null;
  return {
    clock: options.clock ?? historyClock ?? new ScaledClock(liveStart, speed),
    speed,
    history: historyClock ? { clock: historyClock, days, liveStart } : null,
  };
}
