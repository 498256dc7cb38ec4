import type { TFunction } from 'i18next';
import type { KpiFigures, KpiSummary, LayoutLanguage } from '../../../protocol';
import { formatRateOf } from '../../../protocol/kpiFormat';
import type { WallState } from '../../state/store';
import { shortTime } from '../../ui/format';
import type { ChartSpec } from './Chart';

/** The KPI board's charts (echarts options from the figures), each read through `selectKpis`. */

const AXIS = { axisLine: { lineStyle: { color: '#3c5a80' } }, splitLine: { lineStyle: { color: '#1b3358' } } };

/**
 * Chart text as the wall's secondary text: at least 22 px on the 1080p canvas (read from 5 m), in
 * the light text colour (echarts' default axis grey is 2.3:1 on the dark panels; this is 13:1).
 */
export const CHART_TEXT_PX = 22;
export const CHART_TEXT = '#cfe8ff';
const AXIS_LABEL = { fontSize: CHART_TEXT_PX, color: CHART_TEXT };
/** The plot shrinks to keep its axis labels whole inside the chart (never cut, never "…"). */
const CONTAIN_LABELS = { outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' } as const;

/** About how wide a text is at the chart text size (CJK a full em, Latin about half). */
function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/.test(ch) ? CHART_TEXT_PX : CHART_TEXT_PX * 0.56;
  return w;
}

export type Figures = KpiFigures | null;
export type SelectFigures = (s: WallState) => Figures;

/** The figures a rate shows: today's, a presentation step's, or the rolling 30 days'. */
export type RateFigures = KpiFigures | KpiSummary | null;

/** The count each rate is over: a rate under the sample rule reads "— (3 件)", not 0 %. */
const DENOMINATOR = {
  filingRate: (k: NonNullable<RateFigures>) => k.received,
  closureRate: (k: NonNullable<RateFigures>) => k.dueToClose,
  onTimeClosureRate: (k: NonNullable<RateFigures>) => k.dueToClose,
  satisfactionRate: (k: NonNullable<RateFigures>) => k.rated ?? 0,
} as const;

/** The four rates as long bars with big labels: legible from 5 m in any region shape (gauges are not). */
export function rateSpec(
  t: TFunction,
  language: LayoutLanguage,
  selectKpis: (s: WallState) => RateFigures,
): ChartSpec<RateFigures> {
  const keys = ['filingRate', 'closureRate', 'onTimeClosureRate', 'satisfactionRate'] as const;
  return {
    select: selectKpis,
    build: (k, _s, size) => {
      if (!k) return null;
      const values = keys.map((key) => k[key]);
      const labels = keys.map((key) => formatRateOf(k[key], DENOMINATOR[key](k), language));
      const texts = [...labels].reverse();
      const shown = [...values].reverse();
      // Four rows: the type grows with the row, from a cramped corner to a whole display.
      const row = size.height / keys.length;
      const label = Math.round(Math.min(40, Math.max(CHART_TEXT_PX, row * 0.3)));
      const figure = Math.round(Math.min(56, Math.max(CHART_TEXT_PX + 2, row * 0.42)));
      // The widest figure ("98.79%", "— (12 cases)") sets the room on the right of the bars.
      const widest = Math.max(...texts.map((s) => s.length));
      return {
        values: { rates: values, labels },
        option: {
          grid: { left: 8, right: Math.round(figure * 0.62 * widest) + 16, top: 4, bottom: 4, ...CONTAIN_LABELS },
          xAxis: { type: 'value', min: 0, max: 100, show: false },
          yAxis: {
            type: 'category',
            data: [...keys].reverse().map((key) => t(`kpi.${key}`)),
            axisLine: { show: false },
            axisTick: { show: false },
            // Every rate named, however small the region (echarts would drop every other label).
            axisLabel: { fontSize: label, color: CHART_TEXT, interval: 0 },
          },
          series: [
            {
              type: 'bar',
              barWidth: '46%',
              barMaxWidth: 56,
              showBackground: true,
              backgroundStyle: { color: 'rgba(53, 215, 255, 0.1)', borderRadius: 4 },
              itemStyle: { borderRadius: 4, color: '#35d7ff' },
              label: {
                show: true,
                position: 'right',
                distance: 12,
                fontSize: figure,
                fontWeight: 'bold',
                color: '#ffffff',
                formatter: (p: { dataIndex: number }) => texts[p.dataIndex] ?? '—',
              },
              data: shown.map((v) => (v === null ? 0 : Number((v * 100).toFixed(2)))),
            },
          ],
        },
      };
    },
  };
}

export function trendSpec(t: TFunction, selectKpis: SelectFigures): ChartSpec<Figures> {
  return {
    select: selectKpis,
    build: (k, _s, size) => {
      if (!k || k.hourly.length === 0) return null;
      // As many value lines as leave two text heights between labels: 22 px labels never touch.
      const splitNumber = Math.max(1, Math.min(5, Math.floor((size.height - 90) / (CHART_TEXT_PX * 2))));
      const hours = k.hourly.slice(-24);
      const received = hours.map((h) => h.received);
      const closed = hours.map((h) => h.closed);
      return {
        values: { received, closed },
        option: {
          grid: { left: 8, right: 24, top: 48, bottom: 8, ...CONTAIN_LABELS },
          legend: { top: 4, right: 10, textStyle: { color: CHART_TEXT, fontSize: CHART_TEXT_PX } },
          xAxis: { type: 'category', data: hours.map((h) => shortTime(h.hour)), ...AXIS, axisLabel: AXIS_LABEL },
          yAxis: { type: 'value', ...AXIS, axisLabel: AXIS_LABEL, minInterval: 1, splitNumber },
          series: [
            {
              type: 'line',
              name: t('kpi.trendReceived'),
              data: received,
              // Hourly counts: straight segments, a curve would invent values between the hours.
              symbol: 'circle',
              symbolSize: 8,
              lineStyle: { width: 3 },
              areaStyle: { opacity: 0.15 },
            },
            {
              type: 'line',
              name: t('kpi.trendClosed'),
              data: closed,
              // Hourly counts: straight segments, a curve would invent values between the hours.
              symbol: 'circle',
              symbolSize: 8,
              lineStyle: { width: 3 },
            },
          ],
        },
      };
    },
  };
}

export function sourcesSpec(t: TFunction, selectKpis: SelectFigures): ChartSpec<Figures> {
  return {
    select: selectKpis,
    build: (k, _s, size) => {
      if (!k) return null;
      const entries = Object.entries(k.bySource)
        .filter(([, n]) => n > 0)
        .sort((a, b) => b[1] - a[1]);
      if (entries.length === 0) return null;
      const names = entries.map(([source]) => t(`source.${source}`, { defaultValue: source }));
      // The legend on the right, the ring in what is left, with room for "22.93%" on either side
      // of it: its labels are never pushed out of the chart and cut.
      const legendWidth = Math.max(...names.map(textWidth)) + 44;
      const pieWidth = Math.max(0, size.width - legendWidth - 8);
      const labelRoom = textWidth('00.00%') + 24;
      const outer = Math.max(24, Math.min(size.height / 2 - CHART_TEXT_PX, pieWidth / 2 - labelRoom));
      return {
        values: Object.fromEntries(entries),
        option: {
          legend: {
            orient: 'vertical',
            right: 8,
            top: 'middle',
            textStyle: { color: CHART_TEXT, fontSize: CHART_TEXT_PX },
            itemGap: 8,
          },
          series: [
            {
              type: 'pie',
              radius: [Math.round(outer * 0.58), Math.round(outer)],
              center: [Math.round(pieWidth / 2), Math.round(size.height / 2)],
              label: { show: true, formatter: '{d}%', fontSize: CHART_TEXT_PX, color: '#ffffff' },
              labelLine: { length: 6, length2: 6 },
              data: entries.map(([, n], i) => ({ name: names[i], value: n })),
            },
          ],
        },
      };
    },
  };
}

export function categoriesSpec(lang: 'zh-CN' | 'en', selectKpis: SelectFigures): ChartSpec<Figures> {
  return {
    select: selectKpis,
    build: (k, s) => {
      if (!k) return null;
      const top = Object.entries(k.byCategory)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 8)
        .reverse();
      if (top.length === 0) return null;
      const name = (code: string) => {
        const c = s.categories.get(code);
        return c ? (lang === 'en' ? c.nameEn || c.name : c.name) : code;
      };
      return {
        values: Object.fromEntries(top),
        option: {
          grid: { left: 8, right: 64, top: 6, bottom: 6, ...CONTAIN_LABELS },
          xAxis: { type: 'value', ...AXIS, axisLabel: { show: false } },
          yAxis: {
            type: 'category',
            data: top.map(([c]) => name(c)),
            axisLabel: AXIS_LABEL,
            ...AXIS,
          },
          series: [
            {
              type: 'bar',
              data: top.map(([, n]) => n),
              barWidth: '60%',
              itemStyle: { color: '#35d7ff', borderRadius: [0, 4, 4, 0] },
              label: { show: true, position: 'right', fontSize: CHART_TEXT_PX, color: '#ffffff' },
            },
          ],
        },
      };
    },
  };
}
