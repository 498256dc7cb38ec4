import type { CaseLite } from '../../../protocol/lite';
import type { CasesSlice, WallState } from '../../state/store';
import { type Bounds, CaseClusters } from './caseClusters';
import { CaseLayer } from './caseLayer';
import { LOCAL_FONTS, type maplibregl } from './maplibre';

const OVERDUE_CLUSTER = 'overdue-cluster';

/**
 * The cases on the live map: clustered by us (caseClusters.ts) and drawn by us (caseLayer.ts),
 * only what is on screen. Each store delta is folded into the clusters as it comes; the flush hands
 * the clusters in view to the layer.
 *
 * Overdue cases are clustered apart from the rest: a red cluster counts overdue cases, a blue one
 * cases in time. One overdue case in a cluster of eighty made it red, and every big cluster was red.
 */
export class CasesOnMap {
  /** Cases in time (near their deadline included); a map that hides the cases has nothing to cluster. */
  readonly clusters = new CaseClusters({ radiusPx: 42, maxZoom: 14 });
  /** Overdue cases. */
  readonly overdue = new CaseClusters({ radiusPx: 42, maxZoom: 14, idPrefix: OVERDUE_CLUSTER });
  /** Cases and clusters: a custom layer, not a GeoJSON source (see caseLayer.ts). */
  readonly layer: CaseLayer;
  /** The store's cases need loading whole (a snapshot). */
  reset = true;
  /** The clusters changed since the map got them. */
  changed = false;

  constructor(
    private readonly map: maplibregl.Map,
    private readonly shown: boolean,
    /** How much the cluster counts (and the clusters holding them) grow: TypeContext. */
    textScale = 1,
  ) {
    this.layer = new CaseLayer('cases', LOCAL_FONTS, textScale);
  }

  onCases(slice: CasesSlice): void {
    const d = slice.delta;
    if (d.reset) this.reset = true;
    // Folded in as each batch comes (a few hundred cases a frame), not all at once in the flush;
    // after a reset the flush loads them all, and a map that hides the cases has nothing to cluster.
    if (this.reset || !this.shown) return;
    for (const c of d.upserted) if (this.put(c)) this.changed = true;
    for (const id of d.removed) if (this.remove(id)) this.changed = true;
  }

  /** Into the clusters of its kind (out of the other); true when the map shows a change. */
  private put(c: CaseLite): boolean {
    if (c.endedAt !== null) return this.remove(c.id);
    const [into, outOf] = c.overdue ? [this.overdue, this.clusters] : [this.clusters, this.overdue];
    const left = outOf.remove(c.id);
    return into.set(c) || left;
  }

  private remove(id: string): boolean {
    const a = this.clusters.remove(id);
    const b = this.overdue.remove(id);
    return a || b;
  }

  /** Loads the store's cases after a reset, or sends the changed clusters; the source updates made. */
  flush(s: WallState, loaded: boolean): number {
    if (this.reset) {
      this.reset = false;
      this.clusters.clear();
      this.overdue.clear();
      if (!this.shown) return 0;
      for (const c of s.cases.byId.values()) if (c.endedAt === null) this.put(c);
    } else if (!this.changed) return 0;
    this.changed = false;
    return this.send(loaded);
  }

  /** The clusters and single cases within the view (and half a view around it) to the layer. */
  send(loaded: boolean): number {
    if (!loaded || !this.shown) return 0;
    const map = this.map;
    this.clusters.setZoom(map.getZoom());
    this.overdue.setZoom(map.getZoom());
    const b = map.getBounds();
    const padLng = (b.getEast() - b.getWest()) / 2;
    const padLat = (b.getNorth() - b.getSouth()) / 2;
    const bounds: Bounds = [b.getWest() - padLng, b.getSouth() - padLat, b.getEast() + padLng, b.getNorth() + padLat];
    this.layer.set([...this.clusters.features(bounds), ...this.overdue.features(bounds)]);
    return 1;
  }

  /** A click on a case selects it; on a cluster, zooms in until it comes apart. */
  click(point: { x: number; y: number }, onSelectCase: (caseId: string) => void): void {
    // A map that hides the cases never adds the layer: nothing to hit.
    const mark = this.layer.hit(point);
    if (!mark) return;
    if (!mark.cluster) {
      onSelectCase(mark.id);
      return;
    }
    const zoom = (mark.id.startsWith(`${OVERDUE_CLUSTER}:`) ? this.overdue : this.clusters).expansionZoom(mark.id);
    if (zoom !== null) this.map.easeTo({ center: [mark.lng, mark.lat], zoom });
  }

  /** Whether the map shows the store's cases (or hides cases). */
  get drawn(): boolean {
    return !this.shown || this.layer.upToDate;
  }
}
