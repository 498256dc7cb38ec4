import { describe, expect, it } from 'vitest';
import { makeCase } from '../../test/fixtures/server';
import { maskCase, scrubText } from '../access/masking';
import { buildCategories } from '../presets/catalog';
import { Rng } from '../presets/random';
import {
  CHANNEL_MIX,
  CHANNELS,
  closeNote,
  describeReport,
  MixPicker,
  mobile,
  resident,
  STORM_MIX,
  WORK_ORDER_MIX,
} from './content';

const known = new Set(buildCategories().map((c) => c.code));

describe('report content', () => {
  it('mixes only categories the presets define', () => {
    for (const mix of [...CHANNELS.map((c) => CHANNEL_MIX[c]), STORM_MIX, WORK_ORDER_MIX]) {
      for (const code of Object.keys(mix)) expect(known.has(code), code).toBe(true);
    }
  });

  it('picks by weight', () => {
    const picker = new MixPicker({ a: 3, b: 1, nope: 5 }, (c) => c !== 'nope');
    const rng = new Rng(1);
    let a = 0;
    for (let i = 0; i < 10_000; i++) if (picker.pick(rng) === 'a') a++;
    expect(a / 10_000).toBeGreaterThan(0.72);
    expect(a / 10_000).toBeLessThan(0.78);
    expect(picker.shareOf(new Set(['b']))).toBeCloseTo(0.25);
  });

  it('gives residents 11-digit mobile numbers that masking removes, from the text too', () => {
    const rng = new Rng(2);
    let withPhoneInText = 0;
    for (let i = 0; i < 300; i++) {
      const phone = mobile(rng);
      expect(phone).toMatch(/^1[3-9]\d{9}$/);
      expect(scrubText(`电话${phone}`)).toBe('电话***');
      const who = resident(rng);
      const text = describeReport(rng, 'noise', 'hotline', '阅海社区第3网格附近', who.phone);
      if (text.includes(who.phone)) withPhoneInText++;
      const masked = maskCase(
        makeCase('closed', {
          description: text,
          reporter: who,
          timeline: [
            {
              at: 0,
              action: 'close',
              actor: { id: 'sim-center', name: '指挥中心', role: 'supervisor' },
              from: 'verified',
              to: 'closed',
              level: 'grid',
              note: closeNote(who, 'basic'),
            },
          ],
        }),
      );
      expect(JSON.stringify(masked)).not.toContain(who.phone);
      expect(JSON.stringify(masked)).not.toContain(who.name);
    }
    // Some callers leave their number in what they say.
    expect(withPhoneInText).toBeGreaterThan(50);
  });

  it('describes reports in Chinese, led by their channel', () => {
    const rng = new Rng(3);
    expect(describeReport(rng, 'exposed_garbage', 'grid_worker', '第1网格')).toMatch(/^网格员巡查发现：第1网格/);
    expect(describeReport(rng, 'group_rental', 'work_order', '某路1号')).toMatch(/^出租屋定期巡查发现：/);
  });
});
