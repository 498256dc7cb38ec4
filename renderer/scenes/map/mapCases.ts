import type { CasesSlice, WallState } from '../../state/store';
import { CaseClusters } from './caseClusters';
import { CaseLayer } from './caseLayer';
import { LOCAL_FONTS, type maplibregl } from './maplibre';

/**
 * The cases on the live map: clustered by us (caseClusters.ts) and drawn by us (caseLayer.ts),
 * only what is on screen. Each store delta is folded into the clusters as it comes; the flush hands
 * the clusters in view to the layer.
 */
export class CasesOnMap {
  /** Grid-level clusters; a map that hides the cases has nothing to cluster. */
  readonly clusters = new CaseClusters({ radiusPx: 42, maxZoom: 14 });
  /** Cases and clusters: a custom layer, not a GeoJSON source (see caseLayer.ts). */
  readonly layer = new CaseLayer('cases', LOCAL_FONTS);
  /** The store's cases need loading whole (a snapshot). */
  reset = true;
  /** The clusters changed since the map got them. */
  changed = false;

  constructor(
    private readonly map: maplibregl.Map,
    private readonly shown: boolean,
  ) {}

  onCases(slice: CasesSlice): void {
    const d = slice.delta;
    if (d.reset) this.reset = true;
    // Folded in as each batch comes (a few hundred cases a frame), not all at once in the flush;
    // after a reset the flush loads them all, and a map that hides the cases has nothing to cluster.
    if (this.reset || !this.shown) return;
    for (const c of d.upserted) {
      if (c.endedAt === null ? this.clusters.set(c) : this.clusters.remove(c.id)) this.changed = true;
    }
    for (const id of d.removed) if (this.clusters.remove(id)) this.changed = true;
  }

  /** Loads the store's cases after a reset, or sends the changed clusters; the source updates made. */
  flush(s: WallState, loaded: boolean): number {
    if (this.reset) {
      this.reset = false;
      this.clusters.clear();
      if (!this.shown) return 0;
      for (const c of s.cases.byId.values()) if (c.endedAt === null) this.clusters.set(c);
    } else if (!this.changed) return 0;
    this.changed = false;
    return this.send(loaded);
  }

  /** The clusters and single cases within the view (and half a view around it) to the layer. */
  send(loaded: boolean): number {
    if (!loaded || !this.shown) return 0;
    const map = this.map;
    this.clusters.setZoom(map.getZoom());
    const b = map.getBounds();
    const padLng = (b.getEast() - b.getWest()) / 2;
    const padLat = (b.getNorth() - b.getSouth()) / 2;
    const features = this.clusters.features([
      b.getWest() - padLng,
      b.getSouth() - padLat,
      b.getEast() + padLng,
      b.getNorth() + padLat,
    ]);
    this.layer.set(features);
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
    const zoom = this.clusters.expansionZoom(mark.id);
    if (zoom !== null) this.map.easeTo({ center: [mark.lng, mark.lat], zoom });
  }

  /** Whether the map shows the store's cases (or hides cases). */
  get drawn(): boolean {
    return !this.shown || this.layer.upToDate;
  }
}
