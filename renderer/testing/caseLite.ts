import type { CaseLite } from '../../protocol/lite';

/** [tests] A case as the wall's store holds it: an open, normal hotline report unless `over` says otherwise. */
export const caseLite = (over: Partial<CaseLite> & { id: string }): CaseLite => ({
  code: `C-${over.id}`,
  category: 'road',
  source: 'hotline',
  priority: 'normal',
  status: 'reported',
  level: 'grid',
  lng: 106,
  lat: 38,
  gridId: 'g1',
  address: '宁安街1号',
  stage: 'file',
  dueAt: 1000,
  warned: false,
  overdue: false,
  assignee: null,
  assigneeId: null,
  extensionRequested: false,
  createdAt: 0,
  updatedAt: 0,
  endedAt: null,
  version: 1,
  ...over,
});
