import { describe, expect, it } from 'vitest';
import { formatChange, formatCount, formatRate, formatRateDifference, formatRateOf } from './kpiFormat';
import type { KpiFigures } from './kpis';
import { fillTalkingPoints, placeholdersOf, TALKING_POINT_FIGURES, talkingPointErrors } from './talkingPoints';

const figures = (over: Partial<KpiFigures> = {}): KpiFigures => ({
  areaId: 'd',
  period: { from: 0, to: 1 },
  computedAt: 0,
  minSample: 20,
  received: 570_523,
  filed: 551_227,
  closed: 544_530,
  dueToClose: 551_227,
  handled: 548_000,
  overduePending: 3,
  pending: 1_234,
  rated: 3,
  filingRate: 0.96617,
  closureRate: 0.98785,
  onTimeClosureRate: 0.961,
  disposalRate: 0.994,
  onTimeDisposalRate: 0.97,
  reworkRate: 0.012,
  overduePendingRate: 0.0024,
  extensionRate: 0.02,
  satisfactionRate: null,
  selfHandledShare: 0.35,
  avgMinutesToFile: 12,
  avgMinutesToDispatch: 8,
  avgMinutesToHandle: 200,
  bySource: {},
  byCategory: {},
  byArea: {},
  hourly: [],
  ranking: [],
  change: { receivedPeriodOnPeriod: 0.0321, receivedYearOnYear: -0.956, closureRatePeriodOnPeriod: 0.021 },
  ...over,
});

describe('KPI figures as the board shows them', () => {
  it('counts with thousands separators, rates with one decimal, — for null', () => {
    expect(formatCount(570_523, 'zh-CN')).toBe('570,523');
    expect(formatCount(570_523, 'en')).toBe('570,523');
    expect(formatCount(412, 'en')).toBe('412');
    expect(formatCount(0, 'zh-CN')).toBe('0');
    expect(formatCount(1_234_567, 'zh-CN')).toBe('1,234,567');
    expect(formatCount(null)).toBe('—');
    expect(formatRate(0.98785)).toBe('98.8%');
    expect(formatRate(0.961)).toBe('96.1%');
    expect(formatRate(0)).toBe('0.0%');
    expect(formatRate(1)).toBe('100.0%');
    expect(formatRate(null)).toBe('—');
  });

  it('a rate missing for too few cases says how many; none at all is a plain —', () => {
    expect(formatRateOf(null, 3, 'zh-CN')).toBe('—（3 件）');
    expect(formatRateOf(null, 3, 'en')).toBe('— (3 cases)');
    expect(formatRateOf(null, 1, 'en')).toBe('— (1 case)');
    expect(formatRateOf(null, 0, 'en')).toBe('—');
    expect(formatRateOf(0.5, 40, 'en')).toBe('50.0%');
  });

  it('changes are signed; a difference of rates is in percentage points', () => {
    expect(formatChange(0.0321)).toBe('+3.2%');
    expect(formatChange(-0.956)).toBe('-95.6%');
    expect(formatChange(0)).toBe('+0.0%');
    expect(formatChange(null)).toBe('—');
    expect(formatRateDifference(0.021, 'zh-CN')).toBe('+2.1 个百分点');
    expect(formatRateDifference(-0.004, 'en')).toBe('-0.4 pp');
    expect(formatRateDifference(null, 'en')).toBe('—');
  });
});

describe('talking points from the live KPIs', () => {
  it('fills every placeholder of the step with the figures, per language', () => {
    const f = figures();
    expect(
      fillTalkingPoints('本月受理 {received} 件，结案率 {closureRate}，环比 {receivedPeriodOnPeriod}。', f, 'zh-CN'),
    ).toBe('本月受理 570,523 件，结案率 98.8%，环比 +3.2%。');
    expect(fillTalkingPoints('{onTimeClosureRate} on time; closure {closureRatePeriodOnPeriod}.', f, 'en')).toBe(
      '96.1% on time; closure +2.1 pp.',
    );
    // Below the sample: the count, not 0 %.
    expect(fillTalkingPoints('满意率 {satisfactionRate}', f, 'zh-CN')).toBe('满意率 —（3 件）');
    expect(fillTalkingPoints('same year {receivedYearOnYear}', f, 'en')).toBe('same year -95.6%');
  });

  it('says — while the figures are not there, and leaves other braces alone', () => {
    expect(fillTalkingPoints('结案率 {closureRate}，受理 {received} 件', null, 'zh-CN')).toBe('结案率 —，受理 — 件');
    expect(fillTalkingPoints('{ not a placeholder } {1x} {unknownFigure}', figures(), 'en')).toBe(
      '{ not a placeholder } {1x} {unknownFigure}',
    );
  });

  it('every known placeholder formats to something other than itself', () => {
    for (const name of TALKING_POINT_FIGURES) {
      const text = fillTalkingPoints(`{${name}}`, figures(), 'en');
      expect(text, name).not.toContain('{');
    }
  });

  it('finds the unknown placeholders of a tour, naming tour, step, language and note', () => {
    expect(placeholdersOf('a {received} b {closureRate} {received}')).toEqual(['received', 'closureRate', 'received']);
    const tour = {
      name: 'demo',
      steps: [
        { id: 'a', notes: { 'zh-CN': ['受理 {received} 件'], en: ['{received} received'] } },
        { id: 'b', notes: { 'zh-CN': ['ok', '结案率 {closeRate}'], en: ['{closureRate}'] } },
      ],
    } as unknown as Parameters<typeof talkingPointErrors>[0];
    const errors = talkingPointErrors(tour);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^tour demo, step b, zh-CN note 2: unknown placeholder \{closeRate\}/);
  });
});
