import type { InspectionPointState } from '../../../protocol';

const KIND_PALETTE = [
  '#1f9dff',
  '#21c07a',
  '#f0a020',
  '#a46bff',
  '#ff6a3d',
  '#13c2c2',
  '#d4b106',
  '#eb2f96',
  '#52c41a',
  '#2f54eb',
  '#fa8c16',
  '#9254de',
];

/** A kind's colour, the same on every screen and in the legend: hashed from its code. */
export function kindColor(kind: string): string {
  let h = 0;
  for (let i = 0; i < kind.length; i++) h = (h * 31 + kind.charCodeAt(i)) >>> 0;
  return KIND_PALETTE[h % KIND_PALETTE.length] ?? '#1f9dff';
}

export const STATE_RING: Record<InspectionPointState, string> = {
  normal: '#e6f7ff',
  issue: '#ff3b30',
  unchecked: '#8b98ad',
};
