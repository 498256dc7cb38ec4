import {
  type CaseMark,
  type CaseStyle,
  CIRCLE_FLOATS,
  caseStyle,
  GLYPH_FLOATS,
  type GlyphAtlas,
  hitMark,
  markOf,
  packCircles,
  packLabels,
  sortMarks,
} from './caseMarks';
import { compileProgram, mercator, offsetMatrix } from './dotLayer';
import type { maplibregl } from './maplibre';

/**
 * The wall's cases and their clusters, drawn straight from vertex buffers (a custom layer), from the
 * features {@link CaseClusters} gives for the view.
 *
 * As a GeoJSON source, each once-a-second update went to MapLibre's worker, was tiled, and the map
 * rendered again as each tile came back: two or more renders a second where the rest of the map's
 * data needs one, and each render on a software GPU is the wall's longest main-thread task. Here an
 * update is a few hundred circles and labels packed into two arrays, drawn in the same frame as the
 * grid colours and the worker dots. It looks as the old circle and symbol layers did (same colours,
 * radii and strokes), and {@link CaseLayer.hit} stands in for their click events.
 */
const CIRCLE_VERTEX = `
attribute vec2 a_pos;
attribute vec2 a_corner;
attribute vec2 a_size;
attribute vec4 a_fill;
attribute vec4 a_stroke;
uniform mat4 u_matrix;
uniform vec2 u_viewport;
uniform float u_ratio;
varying vec2 v_px;
varying vec2 v_size;
varying vec4 v_fill;
varying vec4 v_stroke;
void main() {
  // Device pixels from the centre to the square's edge: the rim and one pixel to fade it out.
  float outer = (a_size.x + a_size.y) * u_ratio + 1.0;
  vec4 c = u_matrix * vec4(a_pos, 0.0, 1.0);
  c.xy += a_corner * outer * 2.0 / u_viewport * c.w;
  gl_Position = c;
  v_px = a_corner * outer;
  v_size = a_size * u_ratio;
  v_fill = a_fill;
  v_stroke = a_stroke;
}`;

const CIRCLE_FRAGMENT = `
precision mediump float;
varying vec2 v_px;
varying vec2 v_size;
varying vec4 v_fill;
varying vec4 v_stroke;
void main() {
  float d = length(v_px);
  float edge = clamp(v_size.x + v_size.y - d + 0.5, 0.0, 1.0);
  float rim = v_size.y > 0.0 ? clamp(d - v_size.x + 0.5, 0.0, 1.0) : 0.0;
  // Premultiplied, as MapLibre blends.
  vec4 fill = vec4(v_fill.rgb * v_fill.a, v_fill.a);
  vec4 stroke = vec4(v_stroke.rgb * v_stroke.a, v_stroke.a);
  vec4 c = mix(fill, stroke, rim) * edge;
  if (c.a <= 0.0) discard;
  gl_FragColor = c;
}`;

const GLYPH_VERTEX = `
attribute vec2 a_pos;
attribute vec2 a_offset;
attribute vec2 a_uv;
uniform mat4 u_matrix;
uniform vec2 u_viewport;
varying vec2 v_uv;
void main() {
  vec4 c = u_matrix * vec4(a_pos, 0.0, 1.0);
  // The anchor on a whole device pixel, so the glyphs' texels meet the screen's pixels one to one.
  vec2 anchor = floor((c.xy / c.w * 0.5 + 0.5) * u_viewport + 0.5);
  vec2 px = anchor + vec2(a_offset.x, -a_offset.y);
  gl_Position = vec4(px / u_viewport * 2.0 - 1.0, 0.0, 1.0);
  v_uv = a_uv;
}`;

const GLYPH_FRAGMENT = `
precision mediump float;
uniform sampler2D u_atlas;
varying vec2 v_uv;
void main() {
  gl_FragColor = texture2D(u_atlas, v_uv);
}`;

/** What cluster counts are made of (`abbreviate` in caseClusters.ts). */
const LABEL_CHARS = '0123456789.k';
/** Cluster counts: 22 px, bold, white (the wall's smallest text; the legend draws its mark the same). */
const LABEL_PX = 22;

type GL = WebGLRenderingContext | WebGL2RenderingContext;

/** Draws {@link LABEL_CHARS} in white into a canvas, one cell per character, `px` CSS px tall. */
function drawAtlas(fontFamily: string, ratio: number, px: number): { canvas: HTMLCanvasElement; atlas: GlyphAtlas } {
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d context');
  const font = `700 ${px * ratio}px ${fontFamily}`;
  ctx.font = font;
  const height = Math.ceil(px * ratio * 1.3);
  const glyphs = new Map<string, { x: number; w: number }>();
  let x = 0;
  for (const ch of LABEL_CHARS) {
    const w = Math.max(1, Math.round(ctx.measureText(ch).width));
    glyphs.set(ch, { x, w });
    // A pixel between cells: linear sampling never bleeds one glyph into the next.
    x += w + 1;
  }
  canvas.width = x;
  canvas.height = height;
  ctx.font = font;
  ctx.fillStyle = '#ffffff';
  ctx.textBaseline = 'middle';
  for (const [ch, g] of glyphs) ctx.fillText(ch, g.x, height / 2);
  return { canvas, atlas: { width: x, height, glyphs } };
}

export class CaseLayer implements maplibregl.CustomLayerInterface {
  readonly type = 'custom';
  readonly renderingMode = '2d';
  private map: maplibregl.Map | null = null;
  private marks: CaseMark[] = [];
  private readonly style: CaseStyle;
  /** Bumped by each {@link set}; what the buffers hold is packed from `packed`. */
  private version = 0;
  private packed = -1;
  private origin: [number, number] = [0, 0];
  private circleVertices = 0;
  private glyphVertices = 0;
  private gl: {
    circle: WebGLProgram;
    glyph: WebGLProgram;
    circles: WebGLBuffer;
    glyphs: WebGLBuffer;
    texture: WebGLTexture;
  } | null = null;
  private atlas: GlyphAtlas | null = null;
  /** The pixel ratio and font state the atlas was drawn for: either changing redraws it. */
  private atlasKey = '';
  private fontReady = false;

  constructor(
    readonly id: string,
    private readonly fontFamily: string,
    /**
     * How much larger than designed small text is drawn on this canvas (4/3 on a 4K screen, as CSS
     * text grows by `--gw-type`): the counts grow by it, and so do the clusters that hold them
     * (the legend draws its cluster mark the same, MapScene.tsx).
     */
    private readonly textScale = 1,
  ) {
    this.style = caseStyle();
  }

  /** The clusters and cases to draw now (what {@link CaseClusters.features} gave for the view). */
  set(features: readonly GeoJSON.Feature<GeoJSON.Point>[]): void {
    const k = this.textScale;
    this.marks = sortMarks(
      features.map((f) => {
        const m = markOf(f, this.style);
        if (m.cluster && k !== 1) m.radius *= k;
        return m;
      }),
    );
    this.version++;
    this.map?.triggerRepaint();
  }

  /** Whether the marks of the latest {@link set} have been drawn: they are packed only in a render. */
  get upToDate(): boolean {
    return this.version > 0 && this.packed === this.version;
  }

  /** What is drawn now, topmost last. */
  get current(): readonly CaseMark[] {
    return this.marks;
  }

  /** The topmost case or cluster under a point of the map's canvas (CSS pixels). */
  hit(point: { x: number; y: number }): CaseMark | null {
    const map = this.map;
    if (!map) return null;
    return hitMark(this.marks, point, (lng, lat) => map.project([lng, lat]));
  }

  onAdd(map: maplibregl.Map, gl: GL): void {
    this.map = map;
    const circles = gl.createBuffer();
    const glyphs = gl.createBuffer();
    const texture = gl.createTexture();
    if (!circles || !glyphs || !texture) throw new Error('no WebGL buffers');
    this.gl = {
      circle: compileProgram(gl, CIRCLE_VERTEX, CIRCLE_FRAGMENT),
      glyph: compileProgram(gl, GLYPH_VERTEX, GLYPH_FRAGMENT),
      circles,
      glyphs,
      texture,
    };
    this.packed = -1;
    this.atlasKey = '';
    // The counts are drawn in the wall's own face; until it has loaded they use the fallbacks.
    const first = this.fontFamily.split(',')[0]?.trim() ?? '';
    void document.fonts
      .load(`700 ${LABEL_PX * this.textScale}px ${first}`)
      .catch(() => undefined)
      .then(() => {
        this.fontReady = true;
        this.map?.triggerRepaint();
      });
  }

  onRemove(_map: maplibregl.Map, gl: GL): void {
    if (this.gl) {
      gl.deleteBuffer(this.gl.circles);
      gl.deleteBuffer(this.gl.glyphs);
      gl.deleteTexture(this.gl.texture);
      gl.deleteProgram(this.gl.circle);
      gl.deleteProgram(this.gl.glyph);
    }
    this.gl = null;
    this.map = null;
  }

  private updateAtlas(gl: GL, ratio: number): void {
    const key = `${ratio}:${this.fontReady}`;
    if (!this.gl || key === this.atlasKey) return;
    this.atlasKey = key;
    const { canvas, atlas } = drawAtlas(this.fontFamily, ratio, LABEL_PX * this.textScale);
    this.atlas = atlas;
    gl.bindTexture(gl.TEXTURE_2D, this.gl.texture);
    gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, true);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, gl.RGBA, gl.UNSIGNED_BYTE, canvas);
    gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, false);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    // New glyph cells: the labels are packed again.
    this.packed = -1;
  }

  private upload(gl: GL): void {
    if (!this.gl || !this.atlas || this.packed === this.version) return;
    this.packed = this.version;
    const map = this.map;
    const c = map?.getCenter();
    // Offsets from a point near the view keep float32 precise at street zoom.
    this.origin = c ? mercator(c.lng, c.lat) : [0, 0];
    const circles = packCircles(this.marks, this.origin);
    const glyphs = packLabels(this.marks, this.origin, this.atlas);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.gl.circles);
    gl.bufferData(gl.ARRAY_BUFFER, circles, gl.DYNAMIC_DRAW);
    gl.bindBuffer(gl.ARRAY_BUFFER, this.gl.glyphs);
    gl.bufferData(gl.ARRAY_BUFFER, glyphs, gl.DYNAMIC_DRAW);
    this.circleVertices = circles.length / CIRCLE_FLOATS;
    this.glyphVertices = glyphs.length / GLYPH_FLOATS;
  }

  render(gl: GL, args: maplibregl.CustomRenderMethodInput): void {
    const map = this.map;
    const handles = this.gl;
    if (!map || !handles) return;
    const ratio = map.getPixelRatio();
    this.updateAtlas(gl, ratio);
    this.upload(gl);
    if (this.circleVertices === 0) return;
    const matrix = offsetMatrix(args.modelViewProjectionMatrix, 512 * 2 ** map.getZoom(), this.origin);
    const viewport = [gl.drawingBufferWidth, gl.drawingBufferHeight] as const;
    gl.disable(gl.DEPTH_TEST);
    gl.enable(gl.BLEND);
    gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);

    const circle = handles.circle;
    // biome-ignore lint/correctness/useHookAtTopLevel: WebGL's useProgram, not a React hook
    gl.useProgram(circle);
    gl.uniformMatrix4fv(gl.getUniformLocation(circle, 'u_matrix'), false, matrix);
    gl.uniform2f(gl.getUniformLocation(circle, 'u_viewport'), viewport[0], viewport[1]);
    gl.uniform1f(gl.getUniformLocation(circle, 'u_ratio'), ratio);
    gl.bindBuffer(gl.ARRAY_BUFFER, handles.circles);
    const circleAttribs = bindAttributes(gl, circle, CIRCLE_FLOATS, [
      ['a_pos', 2],
      ['a_corner', 2],
      ['a_size', 2],
      ['a_fill', 4],
      ['a_stroke', 4],
    ]);
    gl.drawArrays(gl.TRIANGLES, 0, this.circleVertices);
    for (const a of circleAttribs) gl.disableVertexAttribArray(a);

    if (this.glyphVertices === 0) return;
    const glyph = handles.glyph;
    // biome-ignore lint/correctness/useHookAtTopLevel: WebGL's useProgram, not a React hook
    gl.useProgram(glyph);
    gl.uniformMatrix4fv(gl.getUniformLocation(glyph, 'u_matrix'), false, matrix);
    gl.uniform2f(gl.getUniformLocation(glyph, 'u_viewport'), viewport[0], viewport[1]);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, handles.texture);
    gl.uniform1i(gl.getUniformLocation(glyph, 'u_atlas'), 0);
    gl.bindBuffer(gl.ARRAY_BUFFER, handles.glyphs);
    const glyphAttribs = bindAttributes(gl, glyph, GLYPH_FLOATS, [
      ['a_pos', 2],
      ['a_offset', 2],
      ['a_uv', 2],
    ]);
    gl.drawArrays(gl.TRIANGLES, 0, this.glyphVertices);
    for (const a of glyphAttribs) gl.disableVertexAttribArray(a);
  }
}

/** Points a program's float attributes at consecutive floats of one interleaved buffer. */
function bindAttributes(
  gl: GL,
  program: WebGLProgram,
  stride: number,
  attributes: readonly (readonly [string, number])[],
): number[] {
  const enabled: number[] = [];
  let offset = 0;
  for (const [name, size] of attributes) {
    const loc = gl.getAttribLocation(program, name);
    if (loc >= 0) {
      gl.enableVertexAttribArray(loc);
      gl.vertexAttribPointer(loc, size, gl.FLOAT, false, stride * 4, offset * 4);
      enabled.push(loc);
    }
    offset += size;
  }
  return enabled;
}
