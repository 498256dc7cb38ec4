/**
 * How a KPI figure reads on a screen, one way for the KPI board and the tour's talking points (so
 * that a talking point can never say 98.79 % while the board says 72.5 %). Pure, no Intl: the same
 * text in Node, in Chromium and in any locale the machine has.
 */
import type { LayoutLanguage } from './layout';

/** What a screen shows for a missing figure, or a rate under the sample rule. */
export const NO_FIGURE = '—';

/** A count with thousands separators (both languages group by three with a comma): 570,523. */
export function formatCount(n: number | null | undefined, _language: LayoutLanguage = 'zh-CN'): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return NO_FIGURE;
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A rate in [0, 1] as a percent with one decimal, no space: 96.1%; null: —. */
export function formatRate(rate: number | null | undefined): string {
  return rate === null || rate === undefined || !Number.isFinite(rate) ? NO_FIGURE : `${(rate * 100).toFixed(1)}%`;
}

/**
 * A rate with its denominator where the rate is missing for too few cases: "— (3 件)" / "— (3
 * cases)" instead of 0 % or 3.9 %; a rate, or "—" when nothing at all was counted.
 */
export function formatRateOf(
  rate: number | null | undefined,
  denominator: number | null | undefined,
  language: LayoutLanguage,
): string {
  if (rate !== null && rate !== undefined) return formatRate(rate);
  if (denominator === null || denominator === undefined || denominator <= 0) return NO_FIGURE;
  return language === 'zh-CN'
    ? `${NO_FIGURE}（${formatCount(denominator, language)} 件）`
    : `${NO_FIGURE} (${formatCount(denominator, language)} ${denominator === 1 ? 'case' : 'cases'})`;
}

/** A relative change (环比, 同比) with its sign and one decimal: +3.2%, -4.0%; null: —. */
export function formatChange(change: number | null | undefined): string {
  if (change === null || change === undefined || !Number.isFinite(change)) return NO_FIGURE;
  const pct = (change * 100).toFixed(1);
  return `${change >= 0 && !pct.startsWith('-') ? '+' : ''}${pct}%`;
}

/** A difference of two rates in percentage points: +2.1 个百分点 / +2.1 pp; null: —. */
export function formatRateDifference(diff: number | null | undefined, language: LayoutLanguage): string {
  if (diff === null || diff === undefined || !Number.isFinite(diff)) return NO_FIGURE;
  const pts = (diff * 100).toFixed(1);
  const signed = `${diff >= 0 && !pts.startsWith('-') ? '+' : ''}${pts}`;
  return language === 'zh-CN' ? `${signed} 个百分点` : `${signed} pp`;
}
