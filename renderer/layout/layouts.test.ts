import { describe, expect, it } from 'vitest';
import { Layout, trackCount } from '../../protocol';
import { layoutNames, loadLayout } from './layouts';

describe('shipped layouts', () => {
  const names = layoutNames();
  it('include single, wall-3x2 and wall-4x3', () => {
    expect(names).toEqual(expect.arrayContaining(['single', 'wall-3x2', 'wall-4x3']));
  });
  it('say so when a layout does not exist', () => {
    expect(loadLayout('nope')).toEqual({ ok: false, error: 'unknown', issues: [] });
  });
  for (const name of names) {
    it(`${name} is valid, named after its file, and its regions do not overlap`, () => {
      const loaded = loadLayout(name);
      if (!loaded.ok) throw new Error(loaded.issues.join('; '));
      const layout = loaded.layout;
      expect(layout.name).toBe(name);
      if (layout.arrangement) {
        expect(layout.arrangement.columns * layout.arrangement.rows).toBeGreaterThanOrEqual(layout.displays.length);
      }
      for (const d of layout.displays) {
        for (const p of d.presets) {
          const cells = new Set<string>();
          for (const r of p.regions) {
            for (let c = r.col; c < r.col + r.colSpan; c++) {
              for (let row = r.row; row < r.row + r.rowSpan; row++) {
                const key = `${c},${row}`;
                expect(cells.has(key), `display ${d.index} preset ${p.id} cell ${key}`).toBe(false);
                cells.add(key);
              }
            }
          }
          expect(cells.size).toBeLessThanOrEqual(trackCount(d.columns) * trackCount(d.rows));
        }
      }
    });
  }
});

describe('Layout schema', () => {
  const base = {
    name: 'x',
    title: { 'zh-CN': '测试', en: 'Test' },
    displays: [{ index: 0, columns: 2, rows: 1, presets: [{ id: 'a', regions: [{ col: 0, row: 0, scene: 'map' }] }] }],
  };
  it('fills defaults: zh-CN, a 1920×1080 canvas, urgent alerts take the focus', () => {
    const l = Layout.parse(base);
    expect(l.language).toBe('zh-CN');
    expect(l.canvas).toEqual({ width: 1920, height: 1080 });
    expect(l.focus.urgentAlertTakesFocus).toBe(true);
    const r = l.displays[0]?.presets[0]?.regions[0];
    expect(r?.scene === 'map' && r.options.measure).toBe('open');
  });
  it('refuses a region outside its grid, a duplicate display and an unknown scene', () => {
    const outside = structuredClone(base);
    outside.displays[0]!.presets[0]!.regions[0]!.col = 2;
    expect(Layout.safeParse(outside).success).toBe(false);
    const twice = { ...base, displays: [base.displays[0], base.displays[0]] };
    expect(Layout.safeParse(twice).success).toBe(false);
    const unknown = structuredClone(base) as { displays: { presets: { regions: { scene: string }[] }[] }[] };
    unknown.displays[0]!.presets[0]!.regions[0]!.scene = 'weather';
    expect(Layout.safeParse(unknown).success).toBe(false);
  });
});
