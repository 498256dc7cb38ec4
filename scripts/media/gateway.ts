import type { Camera, StreamKind } from '../../protocol';
import { StreamKind as StreamKindSchema } from '../../protocol';

/**
 * Camera records pointed at an RTSP-to-HLS gateway (MediaMTX serves a path's HLS at
 * `http://host:8888/<path>/index.m3u8`). Pure, so the rewriting is tested apart from the database.
 */
export interface GatewayPlan {
  /** Base URL of the gateway's HLS server, e.g. `http://10.1.2.3:8888`. */
  gateway?: string;
  /** The gateway path of a camera; `{id}` and `{grid}` are replaced. Default: `{id}`. */
  pathTemplate?: string;
  /** Per camera, explicit URLs (a CSV `cameraId,url[,kind]`); they win over the gateway. */
  explicit?: ReadonlyMap<string, { url: string; kind: StreamKind }>;
}

export function gatewayUrl(camera: Pick<Camera, 'id' | 'gridId'>, gateway: string, template = '{id}'): string {
  const path = template
    .replaceAll('{id}', encodeURIComponent(camera.id))
    .replaceAll('{grid}', encodeURIComponent(camera.gridId ?? ''));
  return `${gateway.replace(/\/+$/, '')}/${path}/index.m3u8`;
}

/** The records that change, rewritten. */
export function pointCameras(cameras: readonly Camera[], plan: GatewayPlan): Camera[] {
  const out: Camera[] = [];
  for (const c of cameras) {
    const own = plan.explicit?.get(c.id);
    const next = own
      ? { streamUrl: own.url, streamKind: own.kind }
      : plan.gateway
        ? { streamUrl: gatewayUrl(c, plan.gateway, plan.pathTemplate), streamKind: 'hls' as const }
        : null;
    if (next && (next.streamUrl !== c.streamUrl || next.streamKind !== c.streamKind)) out.push({ ...c, ...next });
  }
  return out;
}

/** `cameraId,url[,kind]` lines; `#` comments and blank lines skipped. Throws on a bad line. */
export function parseCameraCsv(text: string): Map<string, { url: string; kind: StreamKind }> {
  const map = new Map<string, { url: string; kind: StreamKind }>();
  for (const [n, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [id, url, kindText] = line.split(',').map((s) => s.trim());
    const kind = StreamKindSchema.safeParse(kindText ?? 'hls');
    if (!id || !url || !kind.success || !/^(https?:\/\/|\/)/.test(url)) {
      throw new Error(`line ${n + 1}: expected cameraId,url[,hls|mp4|mjpeg|webrtc], got "${line}"`);
    }
    map.set(id, { url, kind: kind.data });
  }
  return map;
}
