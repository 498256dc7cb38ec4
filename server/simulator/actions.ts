import type { CameraStatus, Sensor, SensorKind } from '../../protocol';
import type { CaseCore } from '../cases/core';
import type { Channel } from './content';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** What the simulator needs of the core: its intake, its commands, and read access to its caches. */
export type SimulatorCore = Pick<
  CaseCore,
  | 'report'
  | 'command'
  | 'setCameraStatus'
  | 'setSensorStatus'
  | 'moveWorkers'
  | 'runDeadlines'
  | 'evictEnded'
  | 'cases'
  | 'workers'
  | 'departments'
  | 'categories'
  | 'cameras'
  | 'sensors'
  | 'deadlines'
  | 'scheduler'
  | 'clock'
  | 'config'
>;

/** What waits in the simulator's queue, ordered by simulated time. */
export type Action =
  | { kind: 'hour' }
  | { kind: 'day' }
  | { kind: 'patrol'; token: number }
  | { kind: 'report'; channel: Channel; seed: number; street?: number }
  | { kind: 'sensor'; sensorKind: SensorKind; seed: number }
  | { kind: 'workOrder'; flat: number; seed: number }
  | { kind: 'step'; caseId: string; token: number }
  | { kind: 'camera'; id: string; status: CameraStatus; backAfterMs: number }
  | { kind: 'sensorStatus'; id: string; status: Sensor['status'] };

/** Schedules an action at a simulated time. */
export type Schedule = (at: number, action: Action) => void;

export interface SimStats {
  reports: Record<string, number>;
  workOrders: number;
  workOrderHazards: number;
  sensorAlarms: number;
  commands: Record<string, number>;
  conflicts: number;
  refused: number;
  replanned: number;
  dropped: number;
  adopted: number;
  errors: number;
  positionUpdates: number;
  cameraChanges: number;
}

export const emptyStats = (): SimStats => ({
  reports: {},
  workOrders: 0,
  workOrderHazards: 0,
  sensorAlarms: 0,
  commands: {},
  conflicts: 0,
  refused: 0,
  replanned: 0,
  dropped: 0,
  adopted: 0,
  errors: 0,
  positionUpdates: 0,
  cameraChanges: 0,
});

/** What a report's case carries into the simulated loop besides the case itself. */
export interface ReportExtra {
  reporterWorker: string | null;
  duplicateOf: string | null;
  sensorId: string | null;
}
