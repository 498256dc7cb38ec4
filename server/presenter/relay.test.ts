import { describe, expect, it } from 'vitest';
import type { Presentation, StreamEvent, Tour } from '../../protocol';
import { Tour as TourSchema } from '../../protocol';
import { makeCase, T0 } from '../../test/fixtures/server';
import { applyControl, matchesSpotlight, PresenterRelay } from './relay';
import { TourLibrary } from './tours';

const step = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  title: { 'zh-CN': `步骤${id}`, en: `Step ${id}` },
  notes: { 'zh-CN': [`要点${id}`], en: [`Point ${id}`] },
  ...extra,
});

const TOUR: Tour = TourSchema.parse({
  name: 'visit',
  title: { 'zh-CN': '参观', en: 'Visit' },
  district: { 'zh-CN': '金凤区', en: 'Jinfeng' },
  steps: [step('a'), step('b', { spotlight: { sources: ['sensor'] } }), step('c')],
});
const tours = TourLibrary.of([TOUR]);
const ctx = (now = T0) => ({ tours, now, driver: 'presenter', newId: () => 'p1' });

function started(): Presentation {
  const r = applyControl(null, { action: 'start', tour: 'visit', step: 0 }, ctx());
  if (!r.ok || !r.presentation) throw new Error('start failed');
  return r.presentation;
}

describe('presentation controls', () => {
  it('start shows the first step without its talking points', () => {
    const p = started();
    expect(p).toMatchObject({ tour: 'visit', stepIndex: 0, stepCount: 3, blank: false, paused: false, version: 1 });
    expect(p.step.id).toBe('a');
    expect('notes' in p.step).toBe(false);
  });

  it('next and prev move one step, stay put at either end, and restart the step timer', () => {
    let p = started();
    const at = (n: number) => ctx(T0 + n * 1000);
    const go = (action: 'next' | 'prev', n: number) => {
      const r = applyControl(p, { action }, at(n));
      if (!r.ok || !r.presentation) throw new Error(action);
      p = r.presentation;
    };
    go('prev', 1);
    expect(p.stepIndex).toBe(0);
    expect(p.version).toBe(1); // nothing changed, nothing to send
    go('next', 2);
    go('next', 3);
    expect(p.stepIndex).toBe(2);
    expect(p.stepStartedAt).toBe(T0 + 3000);
    go('next', 4);
    expect(p.stepIndex).toBe(2);
    go('prev', 5);
    expect(p).toMatchObject({ stepIndex: 1, stepStartedAt: T0 + 5000, startedAt: T0 });
  });

  it('goto out of range is invalid; an unknown tour is not found; controls without a presentation conflict', () => {
    const p = started();
    expect(applyControl(p, { action: 'goto', step: 3 }, ctx())).toMatchObject({ ok: false, code: 'invalid' });
    expect(applyControl(null, { action: 'start', tour: 'nope', step: 0 }, ctx())).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    expect(applyControl(null, { action: 'next' }, ctx())).toMatchObject({ ok: false, code: 'conflict' });
  });

  it('blank and pause are flags that keep the step; stop ends it', () => {
    const p = started();
    const blank = applyControl(p, { action: 'blank', on: true }, ctx());
    expect(blank).toMatchObject({ ok: true, presentation: { blank: true, stepIndex: 0, version: 2 } });
    const paused = applyControl(p, { action: 'pause', on: true }, ctx());
    expect(paused).toMatchObject({ ok: true, presentation: { paused: true, blank: false } });
    expect(applyControl(p, { action: 'stop' }, ctx())).toEqual({ ok: true, presentation: null });
  });
});

describe('spotlight', () => {
  it('matches only new cases that pass every given filter', () => {
    const sensorCase = makeCase('filed', { source: 'sensor', version: 1 });
    expect(matchesSpotlight(sensorCase, { sources: ['sensor'], categories: [], priorities: [] })).toBe(true);
    expect(matchesSpotlight({ ...sensorCase, version: 2 }, { sources: [], categories: [], priorities: [] })).toBe(
      false,
    );
    expect(matchesSpotlight(sensorCase, { sources: ['hotline'], categories: [], priorities: [] })).toBe(false);
    expect(matchesSpotlight(sensorCase, { sources: [], categories: ['nope'], priorities: [] })).toBe(false);
  });
});

describe('relay', () => {
  function relay() {
    const log: string[] = [];
    const persisted: (Presentation | null)[] = [];
    const r = new PresenterRelay(
      tours,
      {
        broadcast: (p) => log.push(`broadcast ${p ? p.stepIndex : 'null'}`),
        maskWalls: (on) => log.push(`mask ${on}`),
        persist: async (p) => {
          persisted.push(p);
        },
      },
      () => T0,
    );
    return { r, log, persisted };
  }

  it('masks the walls before the first broadcast and unmasks after the last', async () => {
    const { r, log, persisted } = relay();
    await r.control({ action: 'start', tour: 'visit', step: 0 }, 'presenter');
    await r.control({ action: 'next' }, 'presenter');
    await r.control({ action: 'stop' }, 'presenter');
    expect(log).toEqual(['mask true', 'broadcast 0', 'broadcast 1', 'mask false', 'broadcast null']);
    expect(persisted.map((p) => p?.stepIndex ?? null)).toEqual([0, 1, null]);
  });

  it('spotlights the first matching new case of the step, once', async () => {
    const { r } = relay();
    await r.control({ action: 'start', tour: 'visit', step: 1 }, 'presenter');
    const ev = (c: ReturnType<typeof makeCase>, seq: number): StreamEvent => ({
      seq,
      at: T0,
      type: 'case.upserted',
      payload: c,
    });
    r.onPublished([ev(makeCase('reported', { id: 'c-hot', source: 'hotline', version: 1 }), 1)]);
    expect(r.current?.spotlight).toBeNull();
    r.onPublished([ev(makeCase('filed', { id: 'c-sensor', code: 'S1', source: 'sensor', version: 1 }), 2)]);
    expect(r.current?.spotlight).toMatchObject({ caseId: 'c-sensor', code: 'S1' });
    r.onPublished([ev(makeCase('filed', { id: 'c-sensor-2', source: 'sensor', version: 1 }), 3)]);
    expect(r.current?.spotlight?.caseId).toBe('c-sensor');
  });

  it('restores a persisted presentation with the walls masked; drops one that does not parse', async () => {
    const first = relay();
    await first.r.control({ action: 'start', tour: 'visit', step: 2 }, 'presenter');
    const saved = JSON.stringify(first.r.current);
    const second = relay();
    second.r.restore(saved);
    expect(second.r.current?.stepIndex).toBe(2);
    expect(second.log).toEqual(['mask true']);
    const third = relay();
    third.r.restore('{"tour": 5}');
    third.r.restore('not json');
    expect(third.r.current).toBeNull();
    expect(third.log).toEqual([]);
  });
});
