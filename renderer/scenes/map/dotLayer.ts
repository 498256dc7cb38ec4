import type { maplibregl } from './maplibre';

/**
 * Many moving dots (10,000 grid workers at city scale) drawn straight from one vertex buffer.
 *
 * As a GeoJSON source, every batch of positions was cloned to MapLibre's worker, re-tiled, and each
 * tile that came back was parsed and uploaded on the main thread, once a second. Here a batch
 * writes into a typed array and the next frame uploads it in one call; nothing is tiled, nothing
 * is parsed (docs/bench-log.md has the before and after).
 */
export interface DotStyle {
  /** CSS colours (`#rrggbb` or `rgba(r, g, b, a)`); a dot's `colour` is an index into it. */
  palette: readonly string[];
  opacity: number;
  /** A rim around every dot (CSS colour, width in CSS pixels), inside its radius: dots stay apart from the grid colours. */
  rim?: string;
  rimPx?: number;
  /** Radius in CSS pixels, rim included, by zoom: linear between two stops, clamped outside them. */
  radius: { zoom: [number, number]; px: [number, number] };
}

const FLOATS_PER_DOT = 3;
const MAX_PALETTE = 8;

const VERTEX = `
attribute vec2 a_pos;
attribute float a_colour;
uniform mat4 u_matrix;
uniform float u_size;
varying float v_colour;
void main() {
  gl_Position = u_matrix * vec4(a_pos, 0.0, 1.0);
  gl_PointSize = u_size;
  v_colour = a_colour;
}`;

const FRAGMENT = `
precision mediump float;
uniform vec4 u_palette[${MAX_PALETTE}];
uniform vec4 u_rim;
/** Where the rim starts, from the centre, in point coordinates (0.5 without a rim). */
uniform float u_inner;
uniform float u_feather;
varying float v_colour;
void main() {
  float r = length(gl_PointCoord - 0.5);
  if (r > 0.5) discard;
  vec4 c = u_palette[0];
  for (int i = 1; i < ${MAX_PALETTE}; i++) {
    if (abs(v_colour - float(i)) < 0.5) c = u_palette[i];
  }
  // Fill to rim over about one device pixel.
  c = mix(c, u_rim, clamp((r - u_inner) / u_feather + 0.5, 0.0, 1.0));
  // Premultiplied, as MapLibre blends; the outer edge fades over about one device pixel.
  float a = c.a * clamp((0.5 - r) / u_feather, 0.0, 1.0);
  gl_FragColor = vec4(c.rgb * a, a);
}`;

/** `#rrggbb`, `#rgb` or `rgb(a)(…)` → [r, g, b, a] in 0..1. */
export function parseColour(css: string): [number, number, number, number] {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(css.trim());
  if (hex?.[1]) {
    const h = hex[1].length === 3 ? [...hex[1]].map((d) => d + d).join('') : hex[1];
    return [0, 2, 4].map((i) => Number.parseInt(h.slice(i, i + 2), 16) / 255).concat(1) as [
      number,
      number,
      number,
      number,
    ];
  }
  const fn = /^rgba?\(([^)]+)\)$/i.exec(css.trim());
  if (fn?.[1]) {
    const [r = 0, g = 0, b = 0, a = 1] = fn[1].split(',').map((v) => Number(v.trim()));
    return [r / 255, g / 255, b / 255, a];
  }
  throw new Error(`not a colour: ${css}`);
}

/** Web Mercator in 0..1 (MapLibre's world units before scaling by the world size). */
export function mercator(lng: number, lat: number): [number, number] {
  const x = (180 + lng) / 360;
  const y = (180 - (180 / Math.PI) * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360))) / 360;
  return [x, y];
}

/** The inverse of {@link mercator}: [lng, lat]. */
export function unmercator(x: number, y: number): [number, number] {
  return [x * 360 - 180, (360 / Math.PI) * Math.atan(Math.exp(((180 - y * 360) * Math.PI) / 180)) - 90];
}

export function radiusAt(style: DotStyle, zoom: number): number {
  const [z0, z1] = style.radius.zoom;
  const [r0, r1] = style.radius.px;
  const t = Math.min(1, Math.max(0, (zoom - z0) / (z1 - z0)));
  return r0 + (r1 - r0) * t;
}

/** Where a dot's rim starts, in point coordinates (0 centre, 0.5 edge): 0.5 without a rim. */
export function rimInner(style: DotStyle, diameterDevicePx: number, ratio: number): number {
  if (!style.rim || !style.rimPx || diameterDevicePx <= 0) return 0.5;
  return Math.max(0, 0.5 - (style.rimPx * ratio) / diameterDevicePx);
}

/**
 * The matrix for offsets from `origin` (Mercator units): MapLibre's view-projection works in world
 * pixels, and float32 offsets near a district keep sub-pixel precision at any zoom where absolute
 * coordinates in 0..1 would not.
 */
export function offsetMatrix(viewProj: ArrayLike<number>, worldSize: number, origin: [number, number]): Float32Array {
  const m = new Float32Array(16);
  for (let i = 0; i < 4; i++) {
    const c0 = (viewProj[i] ?? 0) * worldSize;
    const c1 = (viewProj[4 + i] ?? 0) * worldSize;
    m[i] = c0;
    m[4 + i] = c1;
    m[8 + i] = viewProj[8 + i] ?? 0;
    m[12 + i] = (viewProj[12 + i] ?? 0) + c0 * origin[0] + c1 * origin[1];
  }
  return m;
}

/** The dots' data: id → slot in one packed array (x, y offsets and a colour index per dot). */
export class DotSet {
  private data = new Float32Array(1024 * FLOATS_PER_DOT);
  private readonly slots = new Map<string, number>();
  private readonly ids: string[] = [];
  origin: [number, number] | null = null;
  /** Bumped on every change: the layer uploads when it differs from what it drew. */
  version = 0;

  get size(): number {
    return this.ids.length;
  }

  /** Adds or moves a dot. */
  set(id: string, lng: number, lat: number, colour: number): void {
    const [mx, my] = mercator(lng, lat);
    if (!this.origin) this.origin = [mx, my];
    let slot = this.slots.get(id);
    if (slot === undefined) {
      slot = this.ids.length;
      if ((slot + 1) * FLOATS_PER_DOT > this.data.length) {
        const grown = new Float32Array(this.data.length * 2);
        grown.set(this.data);
        this.data = grown;
      }
      this.slots.set(id, slot);
      this.ids.push(id);
    }
    const o = slot * FLOATS_PER_DOT;
    this.data[o] = mx - this.origin[0];
    this.data[o + 1] = my - this.origin[1];
    this.data[o + 2] = colour;
    this.version++;
  }

  /** Removes a dot: the last one moves into its slot, so the array stays packed. */
  remove(id: string): void {
    const slot = this.slots.get(id);
    if (slot === undefined) return;
    const last = this.ids.length - 1;
    const lastId = this.ids[last];
    if (slot !== last && lastId !== undefined) {
      this.data.copyWithin(slot * FLOATS_PER_DOT, last * FLOATS_PER_DOT, (last + 1) * FLOATS_PER_DOT);
      this.ids[slot] = lastId;
      this.slots.set(lastId, slot);
    }
    this.ids.pop();
    this.slots.delete(id);
    this.version++;
  }

  clear(): void {
    this.slots.clear();
    this.ids.length = 0;
    this.version++;
  }

  has(id: string): boolean {
    return this.slots.has(id);
  }

  /** [tests] A dot's stored values: offsets from the origin and its colour. */
  get(id: string): [number, number, number] | null {
    const slot = this.slots.get(id);
    if (slot === undefined) return null;
    const o = slot * FLOATS_PER_DOT;
    return [this.data[o] ?? 0, this.data[o + 1] ?? 0, this.data[o + 2] ?? 0];
  }

  /** The colours (palette indexes) the dots have now. */
  colours(): Set<number> {
    const out = new Set<number>();
    const n = this.ids.length;
    for (let i = 0; i < n; i++) out.add(this.data[i * FLOATS_PER_DOT + 2] ?? 0);
    return out;
  }

  /** The packed floats of every dot. */
  packed(): Float32Array {
    return this.data.subarray(0, this.ids.length * FLOATS_PER_DOT);
  }
}

/** A linked program from two shader sources; a shader that does not compile throws with its log. */
export function compileProgram(
  gl: WebGLRenderingContext | WebGL2RenderingContext,
  vertex: string,
  fragment: string,
): WebGLProgram {
  const compile = (type: number, source: string): WebGLShader => {
    const shader = gl.createShader(type);
    if (!shader) throw new Error('no shader');
    gl.shaderSource(shader, source);
    gl.compileShader(shader);
    if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) throw new Error(gl.getShaderInfoLog(shader) ?? 'shader');
    return shader;
  };
  const program = gl.createProgram();
  if (!program) throw new Error('no program');
  gl.attachShader(program, compile(gl.VERTEX_SHADER, vertex));
  gl.attachShader(program, compile(gl.FRAGMENT_SHADER, fragment));
  gl.linkProgram(program);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS)) throw new Error(gl.getProgramInfoLog(program) ?? 'link');
  return program;
}

export class DotLayer implements maplibregl.CustomLayerInterface {
  readonly type = 'custom';
  readonly renderingMode = '2d';
  readonly dots = new DotSet();
  private map: maplibregl.Map | null = null;
  private program: WebGLProgram | null = null;
  private buffer: WebGLBuffer | null = null;
  private uploaded = -1;
  private readonly palette: Float32Array;
  private readonly rim: Float32Array;
  private loc: {
    pos: number;
    colour: number;
    matrix: WebGLUniformLocation | null;
    size: WebGLUniformLocation | null;
    palette: WebGLUniformLocation | null;
    rim: WebGLUniformLocation | null;
    inner: WebGLUniformLocation | null;
    feather: WebGLUniformLocation | null;
  } | null = null;

  constructor(
    readonly id: string,
    private readonly style: DotStyle,
  ) {
    if (style.palette.length > MAX_PALETTE) throw new Error(`at most ${MAX_PALETTE} colours`);
    this.palette = new Float32Array(MAX_PALETTE * 4);
    style.palette.forEach((css, i) => {
      const [r, g, b, a] = parseColour(css);
      this.palette.set([r, g, b, a * style.opacity], i * 4);
    });
    const [r, g, b, a] = parseColour(style.rim ?? '#000');
    this.rim = new Float32Array([r, g, b, a * style.opacity]);
  }

  /** Asks for a frame: call after a batch of changes, not per dot. */
  changed(): void {
    this.map?.triggerRepaint();
  }

  onAdd(map: maplibregl.Map, gl: WebGLRenderingContext | WebGL2RenderingContext): void {
    this.map = map;
    const program = compileProgram(gl, VERTEX, FRAGMENT);
    this.program = program;
    this.loc = {
      pos: gl.getAttribLocation(program, 'a_pos'),
      colour: gl.getAttribLocation(program, 'a_colour'),
      matrix: gl.getUniformLocation(program, 'u_matrix'),
      size: gl.getUniformLocation(program, 'u_size'),
      palette: gl.getUniformLocation(program, 'u_palette'),
      rim: gl.getUniformLocation(program, 'u_rim'),
      inner: gl.getUniformLocation(program, 'u_inner'),
      feather: gl.getUniformLocation(program, 'u_feather'),
    };
    this.buffer = gl.createBuffer();
    this.uploaded = -1;
  }

  onRemove(_map: maplibregl.Map, gl: WebGLRenderingContext | WebGL2RenderingContext): void {
    if (this.buffer) gl.deleteBuffer(this.buffer);
    if (this.program) gl.deleteProgram(this.program);
    this.buffer = null;
    this.program = null;
    this.map = null;
  }

  render(gl: WebGLRenderingContext | WebGL2RenderingContext, args: maplibregl.CustomRenderMethodInput): void {
    const map = this.map;
    const loc = this.loc;
    const origin = this.dots.origin;
    if (!map || !loc || !this.program || !this.buffer || !origin || this.dots.size === 0) return;
    // biome-ignore lint/correctness/useHookAtTopLevel: WebGL's useProgram, not a React hook
    gl.useProgram(this.program);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.buffer);
    if (this.uploaded !== this.dots.version) {
      gl.bufferData(gl.ARRAY_BUFFER, this.dots.packed(), gl.DYNAMIC_DRAW);
      this.uploaded = this.dots.version;
    }
    const zoom = map.getZoom();
    const ratio = map.getPixelRatio();
    const worldSize = 512 * 2 ** zoom;
    gl.uniformMatrix4fv(loc.matrix, false, offsetMatrix(args.modelViewProjectionMatrix, worldSize, origin));
    const diameter = 2 * radiusAt(this.style, zoom) * ratio;
    gl.uniform1f(loc.size, diameter);
    gl.uniform1f(loc.feather, Math.min(0.5, 1 / diameter));
    gl.uniform1f(loc.inner, rimInner(this.style, diameter, ratio));
    gl.uniform4fv(loc.palette, this.palette);
    gl.uniform4fv(loc.rim, this.rim);
    const stride = FLOATS_PER_DOT * 4;
    gl.enableVertexAttribArray(loc.pos);
    gl.vertexAttribPointer(loc.pos, 2, gl.FLOAT, false, stride, 0);
    gl.enableVertexAttribArray(loc.colour);
    gl.vertexAttribPointer(loc.colour, 1, gl.FLOAT, false, stride, 8);
    gl.disable(gl.DEPTH_TEST);
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
    gl.drawArrays(gl.POINTS, 0, this.dots.size);
    gl.disableVertexAttribArray(loc.pos);
    gl.disableVertexAttribArray(loc.colour);
  }
}
