import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_GRID_CLASSES, MapConfigAnswer } from '../../protocol';
import { DEMO_CONFIG } from '../../server/app/start';
import { ServerConfig } from '../../server/config';
import { removeDir, startTestServer, tempDir } from './helpers';

describe('GET /api/map: the grid colour classes every map reads', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) removeDir(d);
  });

  it('serves the config’s thresholds, the same after a restart; the demo config says the defaults', async () => {
    expect(ServerConfig.parse({}).gridClasses).toEqual(DEFAULT_GRID_CLASSES);
    const demo = ServerConfig.parse(JSON.parse(readFileSync(DEMO_CONFIG, 'utf8')));
    expect(demo.gridClasses).toEqual(DEFAULT_GRID_CLASSES);

    const dir = tempDir();
    dirs.push(dir);
    const configPath = join(dir, 'config.json');
    const own = { ...JSON.parse(readFileSync(DEMO_CONFIG, 'utf8')), gridClasses: { open: [10, 20, 40] } };
    writeFileSync(configPath, JSON.stringify(own));
    const answers: unknown[] = [];
    for (let run = 0; run < 2; run++) {
      const server = await startTestServer(join(dir, 'data'), { configPath, simulate: false });
      try {
        // Public, as /api/basemap: a map asks before its page has logged in.
        const res = await fetch(`${server.url}/api/map`);
        expect(res.status).toBe(200);
        answers.push(MapConfigAnswer.parse(await res.json()));
      } finally {
        await server.close();
      }
    }
    expect(answers[0]).toEqual({ gridClasses: { open: [10, 20, 40], overdue: DEFAULT_GRID_CLASSES.overdue } });
    expect(answers[1]).toEqual(answers[0]);
  });
});
