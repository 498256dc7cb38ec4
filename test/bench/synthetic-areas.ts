import type { Area } from '../../protocol';

/** The synthetic district's streets, west to east (also used for camera names and addresses). */
export const STREETS = ['满城北街', '黄河东路', '长城中路', '宁安大街', '亲水大街', '阅海湾', '良田镇', '丰登镇'];

/**
 * The synthetic district's area tree over `bbox`: the district, streets as vertical bands of grid
 * columns, two communities per street (south and north), and `gridCols` × `gridRows` grids.
 */
export function districtAreas(
  bbox: readonly [number, number, number, number],
  gridCols: number,
  gridRows: number,
): { areas: Area[]; grids: Area[] } {
  const areas: Area[] = [];
  const grids: Area[] = [];
  const [w, s, e, n] = bbox;
  const rect = (x0: number, y0: number, x1: number, y1: number): [number, number][][] => [
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ],
  ];
  areas.push({
    id: 'd-1',
    code: '640106',
    name: '金凤区',
    level: 'district',
    parentId: null,
    polygon: rect(w, s, e, n),
    center: [(w + e) / 2, (s + n) / 2],
  });
  // Streets are vertical bands of grid columns; communities split each band in two rows.
  const streets = Math.min(STREETS.length, gridCols);
  const colsPerStreet = Math.ceil(gridCols / streets);
  const dx = (e - w) / gridCols;
  const dy = (n - s) / gridRows;
  for (let si = 0; si < streets; si++) {
    const c0 = si * colsPerStreet;
    const c1 = Math.min(gridCols, c0 + colsPerStreet);
    if (c0 >= c1) break;
    const streetId = `s-${si + 1}`;
    areas.push({
      id: streetId,
      code: `640106${String(si + 1).padStart(3, '0')}`,
      name: STREETS[si] ?? `街道${si + 1}`,
      level: 'street',
      parentId: 'd-1',
      polygon: rect(w + c0 * dx, s, w + c1 * dx, n),
      center: [w + ((c0 + c1) / 2) * dx, (s + n) / 2],
    });
    const half = Math.ceil(gridRows / 2);
    for (let ci = 0; ci < 2; ci++) {
      const r0 = ci * half;
      const r1 = Math.min(gridRows, r0 + half);
      const communityId = `m-${si + 1}-${ci + 1}`;
      areas.push({
        id: communityId,
        code: `640106${String(si + 1).padStart(3, '0')}${String(ci + 1).padStart(3, '0')}`,
        name: `${STREETS[si] ?? '街道'}${ci === 0 ? '南' : '北'}社区`,
        level: 'community',
        parentId: streetId,
        polygon: rect(w + c0 * dx, s + r0 * dy, w + c1 * dx, s + r1 * dy),
        center: [w + ((c0 + c1) / 2) * dx, s + ((r0 + r1) / 2) * dy],
      });
      for (let col = c0; col < c1; col++) {
        for (let row = r0; row < r1; row++) {
          const n2 = grids.length + 1;
          const grid: Area = {
            id: `g-${n2}`,
            code: `640106${String(si + 1).padStart(3, '0')}${String(ci + 1).padStart(3, '0')}${String(n2).padStart(3, '0')}`,
            name: `第${n2}网格`,
            level: 'grid',
            parentId: communityId,
            polygon: rect(w + col * dx, s + row * dy, w + (col + 1) * dx, s + (row + 1) * dy),
            center: [w + (col + 0.5) * dx, s + (row + 0.5) * dy],
          };
          grids.push(grid);
          areas.push(grid);
        }
      }
    }
  }
  return { areas, grids };
}
