import { z } from 'zod';
import { CaseSource, Priority } from './cases';
import { Id, Timestamp } from './common';
import { KpiPeriodName } from './kpis';
import { LayoutName, LocalizedText } from './layout';

/**
 * Presenter mode: a guided tour of the wall (`resources/tours/<name>.json`) that a presenter drives
 * from `/presenter` while every wall page follows, or that runs unattended on a lobby screen.
 */

export const TourName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/);
export type TourName = z.infer<typeof TourName>;

/** Where the map flies for a step: an area by name or code, a case, a camera, or a fixed view. */
export const MapTarget = z.union([
  z.strictObject({ area: z.string().min(1).max(64), zoom: z.number().min(0).max(22).optional() }),
  z.strictObject({ caseId: Id, zoom: z.number().min(0).max(22).optional() }),
  z.strictObject({ cameraId: Id, zoom: z.number().min(0).max(22).optional() }),
  z.strictObject({
    center: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]),
    zoom: z.number().min(0).max(22),
  }),
  /** The whole district. */
  z.strictObject({ overview: z.literal(true) }),
]);
export type MapTarget = z.infer<typeof MapTarget>;

/** A step's KPI window: any named period ({@link KpiPeriodName}); prefer rolling or closed ones for rates. */
export const TourKpiPeriod = KpiPeriodName;
export type TourKpiPeriod = z.infer<typeof TourKpiPeriod>;

/**
 * Which live case a step puts in the spotlight: the first new case matching the filter that arrives
 * while the step is shown (an empty filter matches any new case).
 */
export const SpotlightFilter = z.object({
  sources: z.array(CaseSource).max(16).default([]),
  categories: z.array(z.string().max(32)).max(64).default([]),
  priorities: z.array(Priority).max(2).default([]),
});
export type SpotlightFilter = z.infer<typeof SpotlightFilter>;

const Notes = z.object({
  'zh-CN': z.array(z.string().min(1).max(400)).max(12),
  en: z.array(z.string().min(1).max(400)).max(12),
});

/** What the wall shows for one step. Talking points live in {@link TourStep}, never sent to walls. */
export const WallStep = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/),
  title: LocalizedText,
  /** Layout every wall page switches to (it keeps its display index); none: the page's own. */
  layout: LayoutName.optional(),
  /** Preset shown on every display that has one with this id. */
  preset: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/)
    .optional(),
  map: MapTarget.optional(),
  kpiPeriod: TourKpiPeriod.default('today'),
  /** A case to feature (focused on every screen: map halo, detail). */
  caseId: Id.optional(),
  /** A camera to feature (pinned in the video scene, marked on the map). */
  cameraId: Id.optional(),
  spotlight: SpotlightFilter.optional(),
  /** How long the step runs unattended; the presenter's timer turns amber past it. */
  seconds: z.number().int().min(5).max(3600).default(60),
});
export type WallStep = z.infer<typeof WallStep>;

export const TourStep = WallStep.extend({ notes: Notes });
export type TourStep = z.infer<typeof TourStep>;

/** When an unattended tour runs (local time of the wall): outside every window the screen is live. */
export const TourWindow = z.object({
  /** ISO weekdays 1 (Monday) … 7 (Sunday); empty: every day. */
  days: z.array(z.number().int().min(1).max(7)).max(7).default([]),
  from: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
  to: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/),
});
export type TourWindow = z.infer<typeof TourWindow>;

export const Tour = z.object({
  name: TourName,
  title: LocalizedText,
  /** The district's name on the blank screen under its logo. */
  district: LocalizedText,
  steps: z.array(TourStep).min(1).max(100),
  /** Unattended runs (a lobby screen): `/wall?tour=NAME` plays the tour inside these windows. */
  schedule: z.array(TourWindow).max(14).default([]),
});
export type Tour = z.infer<typeof Tour>;

export const TourSummary = z.object({ name: TourName, title: LocalizedText, steps: z.number().int() });
export type TourSummary = z.infer<typeof TourSummary>;

/** A live case put in the spotlight by the current step. */
export const Spotlight = z.object({ caseId: Id, code: z.string(), category: z.string(), at: Timestamp });
export type Spotlight = z.infer<typeof Spotlight>;

/**
 * What every wall page receives (`presentation` socket event): no talking points. `null` when no
 * presentation runs. While one runs, wall pages get masked data whatever their credential.
 */
export const Presentation = z.object({
  id: Id,
  tour: TourName,
  tourTitle: LocalizedText,
  district: LocalizedText,
  stepIndex: z.number().int().nonnegative(),
  stepCount: z.number().int().positive(),
  step: WallStep,
  /** The wall shows the district's logo only. */
  blank: z.boolean(),
  /** Live motion frozen on the walls (data keeps arriving underneath). */
  paused: z.boolean(),
  spotlight: Spotlight.nullable(),
  startedAt: Timestamp,
  stepStartedAt: Timestamp,
  /** Who drives it (a username). */
  driver: z.string(),
  /** Bumped on every change: a page ignores an older state that arrives late. */
  version: z.number().int().nonnegative(),
});
export type Presentation = z.infer<typeof Presentation>;

export const PresentationMessage = z.object({ presentation: Presentation.nullable() });
export type PresentationMessage = z.infer<typeof PresentationMessage>;

/** `POST /api/presentation`: presenter, supervisor or admin. */
export const PresentationControl = z.discriminatedUnion('action', [
  z.object({ action: z.literal('start'), tour: TourName, step: z.number().int().nonnegative().default(0) }),
  z.object({ action: z.literal('next') }),
  z.object({ action: z.literal('prev') }),
  z.object({ action: z.literal('goto'), step: z.number().int().nonnegative() }),
  z.object({ action: z.literal('blank'), on: z.boolean() }),
  z.object({ action: z.literal('pause'), on: z.boolean() }),
  z.object({ action: z.literal('stop') }),
]);
export type PresentationControl = z.infer<typeof PresentationControl>;

export const PresentationAnswer = z.object({ presentation: Presentation.nullable() });
export type PresentationAnswer = z.infer<typeof PresentationAnswer>;

/** Strips the presenter-only talking points from a step. */
export function wallStep(step: TourStep): WallStep {
  const { notes: _notes, ...rest } = step;
  return rest;
}
