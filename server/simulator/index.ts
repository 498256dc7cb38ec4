export { HistoryClock } from './clock';
export { CHANNELS, type Channel } from './content';
export { InspectionBoard, PATROL_WINDOWS, Patrols } from './patrol';
export { PROFILES, type SimProfile } from './profile';
export {
  type RunOptions,
  type SettableClock,
  SIM_CENTER,
  type SimStats,
  Simulator,
  type SimulatorCore,
  type SimulatorOptions,
} from './simulator';
