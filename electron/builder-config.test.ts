import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// electron-builder's own loader and schema check: what `npm run dist` does first, without packing.
const require = createRequire(import.meta.url);
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig(dir: string, file: string, options: null): Promise<Record<string, unknown>>;
  validateConfiguration(config: Record<string, unknown>, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const root = resolve(import.meta.dirname, '..');

describe('electron-builder.yml', { timeout: 30_000 }, () => {
  it('passes electron-builder schema validation', async () => {
    const config = await getConfig(root, 'electron-builder.yml', null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('builds AppImage, deb and NSIS and ships resources/ for offline use', async () => {
    const config = (await getConfig(root, 'electron-builder.yml', null)) as {
      linux: { target: string[] };
      win: { target: Array<{ target: string }> };
      extraResources: Array<{ from: string; to: string }>;
      files: Array<{ filter: string[] }>;
    };
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(config.extraResources).toContainEqual(expect.objectContaining({ from: 'resources', to: 'resources' }));
    const filters = config.files.flatMap((f) => f.filter);
    expect(filters).toEqual(expect.arrayContaining(['out/main/**/*', 'out/preload/**/*', 'out/pages/**/*']));
  });

  it('rejects an unknown option (the check is real)', async () => {
    const config = { ...(await getConfig(root, 'electron-builder.yml', null)), kioskMode: true };
    await expect(validateConfiguration(config, new DebugLogger(false))).rejects.toThrow(/kioskMode/);
  });
});
