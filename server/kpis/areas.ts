import type { Area } from '../../protocol';

/**
 * The area tree, precomputed once per areas version: each area's grids (what a case's `grid_id`
 * is filtered by), its children, and each grid's chain of ancestors (what per-grid counts roll up by).
 */
export class AreaIndex {
  readonly root: Area;
  private readonly byId = new Map<string, Area>();
  private readonly children = new Map<string, Area[]>();
  private readonly grids = new Map<string, string[]>();
  /** Grid id → [grid, community, street, …, root]. */
  private readonly chains = new Map<string, string[]>();

  constructor(areas: readonly Area[]) {
    const root = areas.find((a) => a.parentId === null);
    if (!root) throw new Error('the area tree has no root');
    this.root = root;
    for (const a of areas) {
      this.byId.set(a.id, a);
      if (a.parentId !== null) {
        const list = this.children.get(a.parentId) ?? [];
        list.push(a);
        this.children.set(a.parentId, list);
      }
    }
    for (const a of areas) {
      if (a.level !== 'grid') continue;
      const chain: string[] = [];
      for (let cur: Area | undefined = a; cur; cur = cur.parentId ? this.byId.get(cur.parentId) : undefined) {
        chain.push(cur.id);
        const list = this.grids.get(cur.id) ?? [];
        list.push(a.id);
        this.grids.set(cur.id, list);
        if (chain.length > 16) throw new Error(`area ${a.id} has a cycle in its parents`);
      }
      this.chains.set(a.id, chain);
    }
    // Sorted ids: SQLite walks an IN list in order, so grid-led index reads come out grouped.
    for (const list of this.grids.values()) list.sort();
  }

  get(id: string): Area | undefined {
    return this.byId.get(id);
  }

  /** The grids under an area (a grid: itself), in id order. */
  gridsOf(areaId: string): readonly string[] {
    return this.grids.get(areaId) ?? [];
  }

  childrenOf(areaId: string): readonly Area[] {
    return this.children.get(areaId) ?? [];
  }

  /** Grid first, root last; empty for a grid id not in the tree. */
  chainOf(gridId: string): readonly string[] {
    return this.chains.get(gridId) ?? [];
  }

  /** Descendants of an area (itself excluded) at the given levels, in tree order. */
  descendants(areaId: string, levels: ReadonlySet<Area['level']>): Area[] {
    const out: Area[] = [];
    const walk = (id: string) => {
      for (const c of this.childrenOf(id)) {
        if (levels.has(c.level)) out.push(c);
        walk(c.id);
      }
    };
    walk(areaId);
    return out;
  }
}
