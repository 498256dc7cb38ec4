import { describe, expect, it } from 'vitest';
import type { Camera } from '../../protocol';
import { gatewayUrl, parseCameraCsv, pointCameras } from './gateway';

const cam = (id: string, patch: Partial<Camera> = {}): Camera => ({
  id,
  name: `探头${id}`,
  kind: 'street',
  position: { lng: 106.2, lat: 38.5 },
  gridId: 'g-01',
  streamUrl: '/media/clips/clip-1/index.m3u8',
  streamKind: 'hls',
  status: 'online',
  statusSince: 0,
  ...patch,
});

describe('pointing cameras at a gateway', () => {
  it("builds MediaMTX's HLS URL from a path template", () => {
    expect(gatewayUrl(cam('cam-1'), 'http://10.1.2.3:8888/')).toBe('http://10.1.2.3:8888/cam-1/index.m3u8');
    expect(gatewayUrl(cam('cam 2'), 'http://gw:8888', 'jinfeng/{grid}/{id}')).toBe(
      'http://gw:8888/jinfeng/g-01/cam%202/index.m3u8',
    );
  });

  it('rewrites only the records that change, explicit lines first', () => {
    const cams = [cam('a'), cam('b'), cam('c', { streamUrl: 'http://gw:8888/c/index.m3u8' })];
    const explicit = parseCameraCsv('# kitchen\nb, http://kitchen.local/b.mjpg, mjpeg\n');
    const changed = pointCameras(cams, { gateway: 'http://gw:8888', explicit });
    expect(changed.map((c) => [c.id, c.streamKind, c.streamUrl])).toEqual([
      ['a', 'hls', 'http://gw:8888/a/index.m3u8'],
      ['b', 'mjpeg', 'http://kitchen.local/b.mjpg'],
    ]);
    expect(changed[0]?.name).toBe('探头a');
  });

  it('refuses a CSV line without an id, a URL or a known kind', () => {
    expect(() => parseCameraCsv('cam-1')).toThrow(/line 1/);
    expect(() => parseCameraCsv('cam-1,ftp://x')).toThrow(/line 1/);
    expect(() => parseCameraCsv('\ncam-1,http://x/a.m3u8,rtsp')).toThrow(/line 2/);
    expect(parseCameraCsv('cam-1,/media/clips/clip-3.mp4,mp4').get('cam-1')).toEqual({
      url: '/media/clips/clip-3.mp4',
      kind: 'mp4',
    });
  });
});
