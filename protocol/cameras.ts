import { z } from 'zod';
import { Id, LngLat, Timestamp } from './common';

export const CameraKind = z.enum(['street', 'kitchen', 'drone', 'traffic']);
export type CameraKind = z.infer<typeof CameraKind>;

export const StreamKind = z.enum(['hls', 'mp4', 'mjpeg', 'webrtc']);
export type StreamKind = z.infer<typeof StreamKind>;

export const CameraStatus = z.enum(['online', 'offline', 'fault']);
export type CameraStatus = z.infer<typeof CameraStatus>;

export const Camera = z.object({
  id: Id,
  name: z.string().min(1).max(64),
  kind: CameraKind,
  position: LngLat,
  gridId: Id.nullable(),
  streamUrl: z.string().max(2048),
  streamKind: StreamKind,
  status: CameraStatus,
  statusSince: Timestamp,
});
export type Camera = z.infer<typeof Camera>;

export const SensorKind = z.enum(['oil_fume', 'smoke', 'water_level', 'manhole', 'noise']);
export type SensorKind = z.infer<typeof SensorKind>;

/** Monitors that raise alarms (金凤's 50 oil-fume monitors). */
export const Sensor = z.object({
  id: Id,
  name: z.string().min(1).max(64),
  kind: SensorKind,
  position: LngLat,
  gridId: Id.nullable(),
  status: z.enum(['normal', 'alarm', 'offline']),
});
export type Sensor = z.infer<typeof Sensor>;
