import type { Case } from '../../protocol';

/** A timeline's JSON, kept on the (never changed) array itself: the next version's timeline starts from it. */
const JSON_OF = Symbol('timelineJson');
type Timeline = readonly object[] & { [JSON_OF]?: string };

/** Stands in for the timeline while the rest is stringified: no case field holds this number. */
const MARK = -5e-301;
const MARK_TEXT = `"timeline":${JSON.stringify(MARK)}`;

/** The timeline's JSON: the version before's (when this one extends it) and the new entries. */
function timelineJson(timeline: Timeline, before: Timeline | undefined): string {
  const kept = timeline[JSON_OF];
  if (kept !== undefined) return kept;
  let json: string | undefined;
  const prior = before?.[JSON_OF];
  if (before && prior !== undefined && before.length > 0 && before.length <= timeline.length) {
    let same = true;
    for (let i = 0; i < before.length && same; i++) same = before[i] === timeline[i];
    if (same) {
      const added = timeline.slice(before.length);
      json = added.length === 0 ? prior : `${prior.slice(0, -1)},${JSON.stringify(added).slice(1)}`;
    }
  }
  json ??= JSON.stringify(timeline);
  // Not enumerable: copies, comparisons and JSON never see it.
  Object.defineProperty(timeline, JSON_OF, { value: json });
  return json;
}

/**
 * `JSON.stringify(c)`, the same text, made faster: the timeline (most of a case's bytes, and
 * growing by an entry a command) is the JSON of `before`'s timeline (the version it came from)
 * with the new entries' JSON after it, not every entry stringified again.
 */
export function caseJson(c: Case, before?: Case): string {
  const timeline = c.timeline as Timeline | undefined;
  if (!Array.isArray(timeline) || Object.isFrozen(timeline)) return JSON.stringify(c);
  const head = JSON.stringify({ ...c, timeline: MARK });
  const at = head.indexOf(MARK_TEXT);
  if (at < 0) return JSON.stringify(c);
  const tl = timelineJson(timeline, before?.timeline as Timeline | undefined);
  return `${head.slice(0, at)}"timeline":${tl}${head.slice(at + MARK_TEXT.length)}`;
}
