/**
 * The area tree of a preset: root → streets/towns → communities/villages → grids, as polygons that
 * tile the root. Everything is built from one jittered quad mesh (see mesh.ts).
 */
import type { Area, Position } from '../../protocol';
import { Mesh } from './mesh';
import { PlaceNames } from './names';
import { outline } from './outline';
import { partitionCells } from './partition';
import { apportion, type Rng } from './random';
import {
  centroidIJ,
  cleanMask,
  type GeographySpec,
  KM_PER_DEG_LAT,
  KM_PER_DEG_LNG_AT_EQUATOR,
  labelCell,
  labelPoint,
  readingOrder,
  shapeTest,
  valueNoise,
} from './shape';

export type { GeographySpec, RootShape, StreetSpec } from './shape';

export interface Geography {
  mesh: Mesh;
  root: Area;
  streets: Area[];
  communities: Area[];
  grids: Area[];
  /** Cells of each grid (index into `grids`). */
  gridCells: number[][];
  /** Cell → grid index, −1 outside the root. */
  cellGrid: Int32Array;
  /** Grid index → community index; community index → street index. */
  gridCommunity: number[];
  communityStreet: number[];
  /** The cell under each street's label point: its seat, for town staff and drone hangars. */
  streetSeatCell: number[];
  rootCells: number[];
}

const pad3 = (n: number): string => String(n).padStart(3, '0');

export function buildGeography(spec: GeographySpec, rng: Rng): Geography {
  const kmPerDegLng = KM_PER_DEG_LNG_AT_EQUATOR * Math.cos((spec.center[1] * Math.PI) / 180);
  const inShape = shapeTest(spec, rng.fork('shape'), kmPerDegLng);

  // Size the cells from the shape's area, sampled on a 100 × 100 lattice.
  let inside = 0;
  for (let a = 0; a < 100; a++) {
    for (let b = 0; b < 100; b++) {
      if (inShape(((a + 0.5) / 100 - 0.5) * spec.widthKm, ((b + 0.5) / 100 - 0.5) * spec.heightKm)) inside++;
    }
  }
  const areaKm2 = (inside / 10_000) * spec.widthKm * spec.heightKm;
  const cellKm = Math.sqrt(areaKm2 / (spec.grids * spec.cellsPerGrid));
  // One cell of margin keeps the shape off the mesh frame.
  const nx = Math.ceil(spec.widthKm / cellKm) + 2;
  const ny = Math.ceil(spec.heightKm / cellKm) + 2;
  const origin: Position = [
    spec.center[0] - (nx * cellKm) / 2 / kmPerDegLng,
    spec.center[1] - (ny * cellKm) / 2 / KM_PER_DEG_LAT,
  ];
  // Bend the mesh a little so that rows of grids do not run dead straight across the district.
  const warpSpacing = Math.max(spec.widthKm, spec.heightKm) / 5;
  const warpX = valueNoise(rng.fork('warp-x'), warpSpacing, nx * cellKm, ny * cellKm);
  const warpY = valueNoise(rng.fork('warp-y'), warpSpacing, nx * cellKm, ny * cellKm);
  const warpKm = 0.12 * warpSpacing;
  const mesh = new Mesh(
    {
      origin,
      cellKm,
      nx,
      ny,
      jitter: 0.18,
      warp: (x, y) => [
        warpKm * warpX(x - (nx * cellKm) / 2, y - (ny * cellKm) / 2),
        warpKm * warpY(x - (nx * cellKm) / 2, y - (ny * cellKm) / 2),
      ],
    },
    rng.fork('mesh'),
  );
  // Borders between towns wander on a wavelength of a few towns' size, not straight power lines.
  const borderX = valueNoise(rng.fork('border-x'), warpSpacing / 2, spec.widthKm * 2, spec.heightKm * 2);
  const borderY = valueNoise(rng.fork('border-y'), warpSpacing / 2, spec.widthKm * 2, spec.heightKm * 2);
  const borderCells = (0.25 * warpSpacing) / cellKm;
  const borderWarp = (i: number, j: number): [number, number] => [
    borderCells * borderX((i - nx / 2) * cellKm, (j - ny / 2) * cellKm),
    borderCells * borderY((i - nx / 2) * cellKm, (j - ny / 2) * cellKm),
  ];

  const mask = new Uint8Array(mesh.cellCount);
  for (let c = 0; c < mesh.cellCount; c++) {
    const x = (mesh.cellI(c) + 0.5 - nx / 2) * cellKm;
    const y = (mesh.cellJ(c) + 0.5 - ny / 2) * cellKm;
    const i = mesh.cellI(c);
    const j = mesh.cellJ(c);
    const onFrame = i === 0 || j === 0 || i === nx - 1 || j === ny - 1;
    mask[c] = !onFrame && inShape(x, y) ? 1 : 0;
  }
  cleanMask(mesh, mask);
  const rootCells: number[] = [];
  for (let c = 0; c < mesh.cellCount; c++) if (mask[c]) rootCells.push(c);

  // How many communities and grids each street gets.
  const streetSpecs = spec.streets;
  const gridsPerStreet = apportion(
    spec.grids,
    streetSpecs.map((s) => s.area ** spec.gridExponent),
    3,
  );
  const communitiesPerStreet = apportion(spec.communities, gridsPerStreet, 1);
  const countRng = rng.fork('counts');
  const gridsPerCommunity = communitiesPerStreet.map((k, s) =>
    apportion(
      gridsPerStreet[s] as number,
      Array.from({ length: k }, () => countRng.range(0.6, 1.4)),
      Math.min(2, Math.floor((gridsPerStreet[s] as number) / k)),
    ),
  );

  const scratch = new Int32Array(mesh.cellCount).fill(-1);
  const cellOf = (pos: Position, taken: Set<number>): number => {
    const x = (pos[0] - origin[0]) * kmPerDegLng;
    const y = (pos[1] - origin[1]) * KM_PER_DEG_LAT;
    let best = -1;
    let bestD = Number.POSITIVE_INFINITY;
    for (const c of rootCells) {
      if (taken.has(c)) continue;
      const d = ((mesh.cellI(c) + 0.5) * cellKm - x) ** 2 + ((mesh.cellJ(c) + 0.5) * cellKm - y) ** 2;
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    }
    taken.add(best);
    return best;
  };
  const fixedSeeds = streetSpecs.every((s) => s.at !== undefined);
  const taken = new Set<number>();
  const streetParts = partitionCells(
    mesh,
    rootCells,
    {
      weights: streetSpecs.map((s) => s.area),
      minCells: gridsPerStreet.map((g) => Math.ceil(g * Math.max(1, 0.6 * spec.cellsPerGrid))),
      seeds: fixedSeeds ? streetSpecs.map((s) => cellOf(s.at as Position, taken)) : undefined,
      warp: borderWarp,
    },
    rng.fork('streets'),
    scratch,
  );

  const names = new PlaceNames(rng.fork('names'));
  const stems = [...(spec.communityStems ?? [])];
  rng.fork('stems').shuffle(stems);
  const nextStem = (): string => {
    const s = stems.pop();
    if (s === undefined) return names.stem();
    names.reserve(s);
    return s;
  };
  for (const s of spec.communityStems ?? []) names.reserve(s);

  const streets: Area[] = [];
  const communities: Area[] = [];
  const grids: Area[] = [];
  const gridCells: number[][] = [];
  const gridCommunity: number[] = [];
  const communityStreet: number[] = [];
  const streetSeatCell: number[] = [];
  const cellGrid = new Int32Array(mesh.cellCount).fill(-1);
  const communityOf = new Int32Array(mesh.cellCount).fill(-1);
  const streetOf = new Int32Array(mesh.cellCount).fill(-1);
  streetParts.forEach((cells, s) => {
    for (const c of cells) streetOf[c] = s;
  });

  let streetSeq = 0;
  let townSeq = 100;
  const rootCode = spec.rootCode;
  const partRng = rng.fork('parts');

  // Streets in the spec's order: 街道 coded 001…, 镇 101… (the national convention).
  streetSpecs.forEach((sp, s) => {
    const isTown = sp.name.endsWith('镇');
    const streetCode = rootCode + pad3(isTown ? ++townSeq : ++streetSeq);
    const sCells = streetParts[s] as number[];
    const streetIndex = streets.length;
    const seatCell = labelCell(mesh, sCells);
    streetSeatCell.push(seatCell);
    streets.push({
      id: streetCode,
      code: streetCode,
      name: sp.name,
      level: 'street',
      parentId: rootCode,
      polygon: outline(mesh, sCells, (c) => streetOf[c] === s),
      center: mesh.cellCenter(seatCell),
    });

    const perCommunity = gridsPerCommunity[s] as number[];
    const cParts = readingOrder(
      mesh,
      partitionCells(
        mesh,
        sCells,
        {
          weights: perCommunity,
          // Less than the street's minimum per grid, so that a street at its minimum still splits.
          minCells: perCommunity.map((g) => Math.ceil(g * Math.max(1, 0.35 * spec.cellsPerGrid))),
        },
        partRng,
        scratch,
      ).map((cells, i) => ({ cells, grids: perCommunity[i] as number })),
      (p) => p.cells,
    );

    const villageCount = isTown ? Math.round(cParts.length * spec.villageShare) : 0;
    // Villages lie away from the town seat: the parts farthest from the street's centre.
    const [sci, scj] = centroidIJ(mesh, sCells);
    const farthest = cParts
      .map((p, i) => {
        const [ci, cj] = centroidIJ(mesh, p.cells);
        return { i, d: (ci - sci) ** 2 + (cj - scj) ** 2 };
      })
      .sort((a, b) => b.d - a.d || a.i - b.i)
      .slice(0, villageCount)
      .map((x) => x.i);
    const isVillage = new Set(farthest);
    let communitySeq = 0;
    let villageSeq = 199;

    cParts.forEach(({ cells: cCells, grids: gridTarget }, ci) => {
      const village = isVillage.has(ci);
      const communityCode = streetCode + pad3(village ? ++villageSeq : ++communitySeq);
      const communityIndex = communities.length;
      for (const c of cCells) communityOf[c] = communityIndex;
      communityStreet.push(streetIndex);
      communities.push({
        id: communityCode,
        code: communityCode,
        name: nextStem() + (village ? '村' : '社区'),
        level: 'community',
        parentId: streetCode,
        polygon: outline(mesh, cCells, (c) => communityOf[c] === communityIndex),
        center: labelPoint(mesh, cCells),
      });

      const k = Math.min(gridTarget, cCells.length);
      const gParts = readingOrder(
        mesh,
        partitionCells(
          mesh,
          cCells,
          {
            weights: Array.from({ length: k }, () => partRng.range(0.75, 1.25)),
            minCells: Array.from({ length: k }, () => 1),
          },
          partRng,
          scratch,
        ),
        (p) => p,
      );
      gParts.forEach((gc, gi) => {
        const gridCode = communityCode + pad3(gi + 1);
        const gridIndex = grids.length;
        for (const c of gc) cellGrid[c] = gridIndex;
        grids.push({
          id: gridCode,
          code: gridCode,
          name: `第${gi + 1}网格`,
          level: 'grid',
          parentId: communityCode,
          polygon: outline(mesh, gc, (c) => cellGrid[c] === gridIndex),
          center: labelPoint(mesh, gc),
        });
        gridCells.push(gc);
        gridCommunity.push(communityIndex);
      });
    });
  });

  const root: Area = {
    id: rootCode,
    code: rootCode,
    name: spec.rootName,
    level: spec.rootLevel,
    parentId: null,
    polygon: outline(mesh, rootCells, (c) => mask[c] === 1),
    center: labelPoint(mesh, rootCells),
  };
  return {
    mesh,
    root,
    streets,
    communities,
    grids,
    gridCells,
    cellGrid,
    gridCommunity,
    communityStreet,
    streetSeatCell,
    rootCells,
  };
}
