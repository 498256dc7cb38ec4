/** A binary min-heap of (priority, a, b) with typed storage: region growth pushes ~10^5 entries. */
export class MinHeap {
  private prio: number[] = [];
  private a: number[] = [];
  private b: number[] = [];

  get size(): number {
    return this.prio.length;
  }

  push(p: number, a: number, b: number): void {
    const { prio, a: as, b: bs } = this;
    let i = prio.length;
    prio.push(p);
    as.push(a);
    bs.push(b);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((prio[parent] as number) <= p) break;
      prio[i] = prio[parent] as number;
      as[i] = as[parent] as number;
      bs[i] = bs[parent] as number;
      i = parent;
    }
    prio[i] = p;
    as[i] = a;
    bs[i] = b;
  }

  /** Pops the smallest entry into `out` as [priority, a, b]; false when empty. */
  pop(out: [number, number, number]): boolean {
    const { prio, a: as, b: bs } = this;
    const n = prio.length;
    if (n === 0) return false;
    out[0] = prio[0] as number;
    out[1] = as[0] as number;
    out[2] = bs[0] as number;
    const lp = prio.pop() as number;
    const la = as.pop() as number;
    const lb = bs.pop() as number;
    const m = n - 1;
    if (m === 0) return true;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= m) break;
      const r = l + 1;
      const child = r < m && (prio[r] as number) < (prio[l] as number) ? r : l;
      if ((prio[child] as number) >= lp) break;
      prio[i] = prio[child] as number;
      as[i] = as[child] as number;
      bs[i] = bs[child] as number;
      i = child;
    }
    prio[i] = lp;
    as[i] = la;
    bs[i] = lb;
    return true;
  }
}
