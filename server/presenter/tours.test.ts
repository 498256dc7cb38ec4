import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Layout } from '../../protocol';
import { generatePreset } from '../presets';
import { TourLibrary } from './tours';

const ROOT = join(import.meta.dirname, '../..');
const tours = TourLibrary.load(join(ROOT, 'resources/tours'));
const demo = tours.get('demo');

describe('the shipped demo tour', () => {
  it('is valid and tells the seed story in order', () => {
    expect(demo).not.toBeNull();
    expect(demo?.steps.map((s) => s.id)).toEqual([
      'overview',
      'closed-loop',
      'self-governance',
      'overdue',
      'joint-enforcement',
      'sensors',
      'live',
    ]);
    // The seed figures the presenter quotes (金凤: received, filed, closed; 50 oil-fume monitors).
    const notes = demo?.steps.flatMap((s) => s.notes['zh-CN']).join('\n') ?? '';
    for (const figure of ['570,523', '551,227', '96.92%', '98.79%', '50 台油烟', '592 个网格'])
      expect(notes).toContain(figure);
    for (const s of demo?.steps ?? []) expect(s.notes.en.length).toBe(s.notes['zh-CN'].length);
  });

  it('names presets that the single layout has', () => {
    const single = Layout.parse(JSON.parse(readFileSync(join(ROOT, 'resources/layouts/single.json'), 'utf8')));
    const presets = new Set(single.displays[0]?.presets.map((p) => p.id));
    for (const s of demo?.steps ?? []) if (s.preset) expect(presets).toContain(s.preset);
  });

  it('flies to areas that exist in the small and the district presets', () => {
    for (const name of ['small', 'district'] as const) {
      const names = new Set(generatePreset(name, 1).areas.map((a) => a.name));
      for (const s of demo?.steps ?? []) if (s.map && 'area' in s.map) expect(names).toContain(s.map.area);
    }
  });

  it('features a kitchen camera of the demo district in the sensor step', () => {
    const district = generatePreset('district', 1);
    const id = demo?.steps.find((s) => s.id === 'sensors')?.cameraId;
    expect(district.cameras.find((c) => c.id === id)?.kind).toBe('kitchen');
  });
});

describe('tour library', () => {
  it('drops featured cameras and cases the district does not have, saying which', async () => {
    const small = generatePreset('small', 1);
    const cameras = new Set(small.cameras.map((c) => c.id));
    const { library, warnings } = await tours.forDistrict({
      camera: (id) => cameras.has(id),
      case: async () => false,
    });
    expect(library.get('demo')?.steps.find((s) => s.id === 'sensors')?.cameraId).toBeUndefined();
    expect(warnings).toEqual(['tour demo, step sensors: no camera cam-01041 here, none featured']);
    // What the district has stays.
    const all = await tours.forDistrict({ camera: () => true, case: async () => true });
    expect(all.warnings).toEqual([]);
    expect(all.library.get('demo')?.steps.find((s) => s.id === 'sensors')?.cameraId).toBe('cam-01041');
  });

  it('refuses a tour file whose name does not match, naming the file', () => {
    expect(() => TourLibrary.load(join(ROOT, 'server/presenter/testdata'))).toThrow(/wrong-name\.json/);
  });
});
