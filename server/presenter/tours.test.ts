import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Layout, placeholdersOf, type Tour, talkingPointErrors } from '../../protocol';
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

  it('takes the figures the wall shows from the live KPIs; a literal rate is only the seed platform’s own published one', () => {
    const steps = demo?.steps ?? [];
    for (const s of steps) {
      for (const language of ['zh-CN', 'en'] as const) {
        // Placeholders match from one language to the other.
        expect(s.notes[language].flatMap(placeholdersOf).sort(), `${s.id} ${language}`).toEqual(
          s.notes['zh-CN'].flatMap(placeholdersOf).sort(),
        );
        for (const note of s.notes[language]) {
          // 80 % and 100 % of a limit are the warning and overdue thresholds (config), not wall figures.
          const literal = note.replace(/(80|100) ?%/g, '').match(/\d+(\.\d+)? ?%/g);
          if (literal) expect(note, `${s.id}: ${note}`).toMatch(/公开|publishes|reports/);
        }
      }
    }
    const loop = steps.find((s) => s.id === 'closed-loop');
    expect(loop?.kpiPeriod).toBe('rolling30');
    for (const p of ['received', 'filingRate', 'closureRate', 'onTimeClosureRate', 'satisfactionRate'])
      expect(loop?.notes['zh-CN'].join('\n')).toContain(`{${p}}`);
    expect(talkingPointErrors(demo as Tour)).toEqual([]);
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

  it('refuses a talking point with an unknown placeholder, naming the tour, the step and the placeholder', () => {
    expect(() => TourLibrary.load(join(ROOT, 'server/presenter/testdata/placeholders'))).toThrow(
      /tour typo\.json is invalid: tour typo, step loop, zh-CN note 2: unknown placeholder \{onTimeClosureRat\}/,
    );
  });
});
