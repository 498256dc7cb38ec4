import type { Area, Case, CaseSource, CaseStatus, Category } from '../../protocol';
import { isTerminal } from '../../protocol';
import { maskCase } from '../access/masking';

/**
 * Cases the public interface shows: those a resident reported (and got a query code for). Cases
 * found by grid workers, sensors, cameras and patrols stay inside the center.
 */
export const PUBLIC_SOURCES: readonly CaseSource[] = ['open311', 'hotline', 'wechat', 'app', 'web'];

/** GeoReport v2 service request, as GET requests.json answers it. */
export interface GeoRequest {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string;
  service_code: string;
  description: string | null;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number;
  long: number;
  media_url: string | null;
}

/** What each status means to the resident who reported it. */
const STATUS_NOTES: Record<CaseStatus, string> = {
  reported: '已受理，待立案 received, to be filed',
  filed: '已立案，待派遣 filed, to be dispatched',
  dispatched: '处置中 being handled',
  accepted: '处置中 being handled',
  returned: '待重新派遣 being reassigned',
  handled: '已处置，待核查 handled, to be verified',
  verified: '已核查，待结案 verified, to be closed',
  closed: '已结案 closed',
  rejected: '不予立案 not accepted',
  suspended: '暂缓处理 deferred',
  voided: '已作废 voided',
};
/** Timeline steps whose notes are written for the reporter; comments and escalations stay internal. */
const PUBLIC_NOTES = new Set(['reject', 'feedback', 'close', 'void', 'suspend']);

/** W3C date-time with the calendar's offset, e.g. 2026-11-23T09:00:00+08:00. */
export function w3(t: number, offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${new Date(t + offsetMinutes * 60_000).toISOString().slice(0, 19)}${sign}${hh}:${mm}`;
}

export const serviceNotice = (code: string): string =>
  `已受理，查询码 ${code}，凭查询码可查进度。Received: your query code is ${code}.`;

export interface FormatEnv {
  categories: ReadonlyMap<string, Category>;
  areaById: ReadonlyMap<string, Area>;
  offsetMinutes: number;
}

/**
 * A case as the public sees it: masked on the server like a wall sees it (no reporter, no phone
 * or ID numbers, no reporter's name in any text), and only the reporter-facing notes.
 */
export function toGeoRequest(c: Case, env: FormatEnv): GeoRequest {
  const m = maskCase(c);
  const note = [...m.timeline].reverse().find((e) => PUBLIC_NOTES.has(e.action) && e.note)?.note;
  const category = env.categories.get(m.category);
  return {
    service_request_id: m.code,
    status: isTerminal(m.status) ? 'closed' : 'open',
    status_notes: note ? `${STATUS_NOTES[m.status]}：${note}` : STATUS_NOTES[m.status],
    service_name: category?.name ?? m.category,
    service_code: m.category,
    description: m.description || null,
    agency_responsible: agency(m, env),
    service_notice: m.source === 'open311' ? serviceNotice(m.code) : null,
    requested_datetime: w3(m.createdAt, env.offsetMinutes),
    updated_datetime: w3(m.updatedAt, env.offsetMinutes),
    // The handling limit, once dispatched: before that no one has promised a date.
    expected_datetime:
      isTerminal(m.status) || m.milestones.closeDueAt === null ? null : w3(m.milestones.closeDueAt, env.offsetMinutes),
    address: m.location.address || null,
    address_id: null,
    zipcode: null,
    lat: m.location.lat,
    long: m.location.lng,
    media_url: m.media[0] ?? null,
  };
}

/** A department by name; a grid worker by the community they serve (a worker's own name stays inside). */
function agency(c: Case, env: FormatEnv): string {
  if (c.assignee?.kind === 'department') return c.assignee.name;
  const grid = env.areaById.get(c.gridId);
  const community = grid?.parentId ? env.areaById.get(grid.parentId) : undefined;
  if (c.assignee?.kind === 'worker') return `${community?.name ?? ''}网格员 grid worker`.trim();
  return '网格化服务管理中心 command center';
}

/** GET services.json: one service per case category. */
export function toService(c: Category) {
  const hours = Math.round((c.handleMinutes / 60) * 10) / 10;
  return {
    service_code: c.code,
    service_name: c.name,
    description: `${c.group}：${c.name}。${c.nameEn}. 网格处置时限 ${hours} 个工作小时 (${hours} working hours at the grid).`,
    metadata: true,
    type: 'realtime' as const,
    keywords: [c.name, c.nameEn, c.group].join(', '),
    group: c.group,
  };
}
