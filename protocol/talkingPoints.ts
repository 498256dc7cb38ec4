/**
 * Talking points that take their figures from the live KPIs. A tour's notes may hold placeholders
 * such as `{closureRate}` or `{received}`: the presenter page fills them with the figures of the
 * step's `kpiPeriod` (the same figures the wall's KPI board shows), formatted as the board formats
 * them. The server refuses a tour whose notes name an unknown placeholder when it loads the tour.
 */
import { formatChange, formatCount, formatRateDifference, formatRateOf } from './kpiFormat';
import type { KpiFigures, KpiSummary } from './kpis';
import type { LayoutLanguage } from './layout';
import type { Tour } from './presenter';

type Figures = KpiFigures | KpiSummary;
type CountKey = 'received' | 'filed' | 'closed' | 'dueToClose' | 'handled' | 'pending' | 'overduePending' | 'rated';
type RateKey =
  | 'filingRate'
  | 'closureRate'
  | 'onTimeClosureRate'
  | 'disposalRate'
  | 'onTimeDisposalRate'
  | 'reworkRate'
  | 'extensionRate'
  | 'overduePendingRate'
  | 'satisfactionRate'
  | 'selfHandledShare';

const COUNTS: readonly CountKey[] = [
  'received',
  'filed',
  'closed',
  'dueToClose',
  'handled',
  'pending',
  'overduePending',
  'rated',
];

/** Each rate and the count it is over (shown as "— (3 件)" when the rate is missing for too few cases). */
const RATES: Readonly<Record<RateKey, CountKey>> = {
  filingRate: 'received',
  closureRate: 'dueToClose',
  onTimeClosureRate: 'dueToClose',
  disposalRate: 'dueToClose',
  onTimeDisposalRate: 'dueToClose',
  reworkRate: 'dueToClose',
  extensionRate: 'dueToClose',
  overduePendingRate: 'pending',
  satisfactionRate: 'rated',
  selfHandledShare: 'received',
};

const CHANGES = ['receivedPeriodOnPeriod', 'receivedYearOnYear', 'closureRatePeriodOnPeriod'] as const;

/** Every placeholder a talking point may use: `{name}`. */
export const TALKING_POINT_FIGURES: readonly string[] = [...COUNTS, ...Object.keys(RATES), ...CHANGES];

const KNOWN: ReadonlySet<string> = new Set(TALKING_POINT_FIGURES);
/** `{name}`: an identifier in braces; any other brace is plain text. */
const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** The placeholders of a text, in order (repeats kept). */
export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string);
}

/** One figure as the KPI board shows it; "—" while the figures are not there yet. */
export function formatTalkingPointFigure(name: string, figures: Figures | null, language: LayoutLanguage): string {
  if ((COUNTS as readonly string[]).includes(name)) {
    return formatCount(figures ? (figures[name as CountKey] ?? null) : null, language);
  }
  if (name in RATES) {
    const key = name as RateKey;
    return formatRateOf(figures?.[key] ?? null, figures ? (figures[RATES[key]] ?? null) : null, language);
  }
  if (name === 'closureRatePeriodOnPeriod') return formatRateDifference(figures?.change[name] ?? null, language);
  if (name === 'receivedPeriodOnPeriod' || name === 'receivedYearOnYear') return formatChange(figures?.change[name]);
  return `{${name}}`;
}

/**
 * A talking point with its placeholders replaced by the live figures of the step's period
 * (`null`: not loaded yet, every figure "—"). An unknown placeholder stays as written (the server
 * refuses such a tour when it loads it).
 */
export function fillTalkingPoints(text: string, figures: Figures | null, language: LayoutLanguage): string {
  return text.replace(PLACEHOLDER, (whole, name: string) =>
    KNOWN.has(name) ? formatTalkingPointFigure(name, figures, language) : whole,
  );
}

/** What is wrong with a tour's placeholders: one line per unknown one, naming the step and the note. */
export function talkingPointErrors(tour: Pick<Tour, 'name' | 'steps'>): string[] {
  const errors: string[] = [];
  for (const step of tour.steps) {
    for (const language of ['zh-CN', 'en'] as const) {
      step.notes[language].forEach((note, i) => {
        for (const name of placeholdersOf(note)) {
          if (!KNOWN.has(name)) {
            errors.push(
              `tour ${tour.name}, step ${step.id}, ${language} note ${i + 1}: unknown placeholder {${name}} (known: ${TALKING_POINT_FIGURES.join(', ')})`,
            );
          }
        }
      });
    }
  }
  return errors;
}
