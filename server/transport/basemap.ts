import { existsSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { BaseMap } from '../../protocol';
import type { BaseMapConfig } from '../config';

export const BASEMAP_PREFIX = '/basemap/';

/** What `/api/basemap` tells the renderer: the configured base map as URLs on this server. */
export function servedBaseMap(config: BaseMapConfig | undefined): BaseMap | null {
  if (!config) return null;
  if (config.type === 'xyz') {
    return {
      type: 'xyz',
      tiles: [`${BASEMAP_PREFIX}xyz/{z}/{x}/{y}.${config.format}`],
      tileSize: config.tileSize,
      minzoom: config.minzoom,
      maxzoom: config.maxzoom,
    };
  }
  return { type: 'pmtiles', url: `${BASEMAP_PREFIX}pmtiles/${encodeURIComponent(basename(config.file))}` };
}

/**
 * Serves the base map of the config: `GET /api/basemap` (public: the wall asks before it logs in,
 * and a map is no secret the page itself is not) and the tiles or the archive (with HTTP ranges,
 * which PMTiles reads by) under /basemap/.
 */
export async function registerBaseMap(app: FastifyInstance, config: BaseMapConfig | undefined): Promise<void> {
  app.get('/api/basemap', async () => ({ baseMap: servedBaseMap(config) }));
  if (!config) return;
  if (config.type === 'xyz') {
    if (!existsSync(config.dir)) console.warn(`base map: no folder ${config.dir}`);
    await app.register(fastifyStatic, {
      root: config.dir,
      prefix: `${BASEMAP_PREFIX}xyz/`,
      decorateReply: false,
      index: false,
      maxAge: '1d',
    });
    return;
  }
  if (!existsSync(config.file)) console.warn(`base map: no file ${config.file}`);
  const name = `/${basename(config.file)}`;
  await app.register(fastifyStatic, {
    root: dirname(config.file),
    prefix: `${BASEMAP_PREFIX}pmtiles/`,
    decorateReply: false,
    index: false,
    acceptRanges: true,
    // Only the archive itself, nothing else that lies beside it.
    allowedPath: (path) => decodeURIComponent(path) === name,
  });
}
