import type { Actor, Case, CaseStatus, Category, Command } from '../../protocol';
import { WorkingCalendar, WorkingCalendarConfig } from '../../protocol/calendar';
import { DeadlinePolicy } from '../cases/deadlines';
import type { LifecycleEnv } from '../cases/lifecycle';
import { LimitsConfig } from '../config';

export const T0 = Date.parse('2026-11-23T09:00:00+08:00');

export const CATEGORIES: Category[] = [
  {
    code: 'road_dirty',
    name: '道路不洁',
    nameEn: 'Dirty road',
    group: '市容环境',
    handleMinutes: 300,
    departmentId: 'dep-cg',
    autoDispatch: false,
  },
  {
    code: 'exposed_garbage',
    name: '暴露垃圾',
    nameEn: 'Exposed garbage',
    group: '市容环境',
    handleMinutes: 480,
    departmentId: 'dep-cg',
    autoDispatch: false,
  },
  {
    code: 'illegal_building',
    name: '违法搭建',
    nameEn: 'Illegal construction',
    group: '违法建设',
    handleMinutes: 7200,
    departmentId: 'dep-zf',
    autoDispatch: false,
  },
  {
    code: 'oil_fume',
    name: '油烟污染',
    nameEn: 'Oil fume',
    group: '环境污染',
    handleMinutes: 480,
    departmentId: 'dep-hb',
    autoDispatch: true,
  },
];

export const testPolicy = (): DeadlinePolicy =>
  new DeadlinePolicy(
    new WorkingCalendar(WorkingCalendarConfig.parse({})),
    LimitsConfig.parse({}),
    new Map(CATEGORIES.map((c) => [c.code, c])),
  );

export const supervisor: Actor = { id: 'u-sup', name: '值班长', role: 'supervisor' };

export function makeEnv(now = T0, actor: Actor = supervisor): LifecycleEnv {
  return {
    now,
    actor,
    deadlines: testPolicy(),
    levels: ['grid', 'community', 'street', 'district'],
    resolveAssignee: (ref) =>
      ref.id === 'w-1' || ref.id === 'dep-cg'
        ? { kind: ref.kind, id: ref.id, name: ref.id === 'w-1' ? '王小明' : '城管局' }
        : null,
    categoryExists: (code) => CATEGORIES.some((c) => c.code === code),
  };
}

export function makeCase(status: CaseStatus = 'reported', over: Partial<Case> = {}): Case {
  return {
    id: 'c-1',
    code: 'JF20261123-0001',
    category: 'road_dirty',
    source: 'hotline',
    priority: 'normal',
    description: '人行道上有大量垃圾，联系电话13812345678',
    location: { lng: 106.2, lat: 38.5, address: '阅海社区 长城中路 12 号' },
    gridId: 'g-1',
    status,
    level: 'grid',
    assignee: ['dispatched', 'accepted', 'handled', 'verified'].includes(status)
      ? { kind: 'worker', id: 'w-1', name: '王小明' }
      : null,
    deadline: null,
    reporter: { name: '张伟', phone: '13812345678' },
    media: [],
    timeline: [],
    satisfaction: null,
    extension: null,
    milestones: { filedAt: null, dispatchedAt: null, handledAt: null, closedAt: null, closeDueAt: null },
    reworkCount: 0,
    extensionCount: 0,
    everOverdue: false,
    selfHandled: false,
    duplicateOf: null,
    version: 1,
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

let counter = 0;
/** A valid command of each type for case c-1 at `version`. */
export function commandOf(type: Command['type'], version = 1): Command {
  const base = { commandId: `cmd-test-${++counter}`, caseId: 'c-1', expectedVersion: version };
  switch (type) {
    case 'file':
      return { ...base, type };
    case 'reject':
      return { ...base, type, reason: '不属于受理范围' };
    case 'dispatch':
      return { ...base, type, assignee: { kind: 'worker', id: 'w-1' } };
    case 'accept':
      return { ...base, type };
    case 'feedback':
      return { ...base, type, note: '已清理完毕' };
    case 'escalate':
      return { ...base, type, reason: '网格无法处置' };
    case 'return':
      return { ...base, type, reason: '非本部门职责' };
    case 'extend':
      return { ...base, type, action: 'request', minutes: 480, reason: '需协调产权单位' };
    case 'suspend':
      return { ...base, type, reason: '涉及历史遗留问题' };
    case 'void':
      return { ...base, type, reason: '重复上报', duplicateOf: 'c-0' };
    case 'verify':
      return { ...base, type };
    case 'reopen':
      return { ...base, type, reason: '核查未通过' };
    case 'close':
      return { ...base, type, satisfaction: 'satisfied' };
    case 'comment':
      return { ...base, type, note: '已电话联系' };
  }
}
