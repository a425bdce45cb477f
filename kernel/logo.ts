/**
 * The kernel's logo — a membrane-potential trace with one spike on a dark disc — as SVG and as
 * PNGs drawn here (Jupyter wants logo-32x32.png and logo-64x64.png), with a minimal PNG encoder on
 * node:zlib so no image dependency is needed.
 */
import { deflateSync } from "node:zlib";

/** The trace in a 64x64 design space: rest, a sharp spike, an undershoot, recovery. */
const TRACE: readonly (readonly [number, number])[] = [
  [9, 40],
  [22, 40],
  [26, 37],
  [30, 11],
  [34, 50],
  [41, 44],
  [55, 40],
];
const DISC = { cx: 32, cy: 32, r: 30 };
const DISC_COLOR: RGB = [0x1d, 0x35, 0x57];
const TRACE_COLOR: RGB = [0xff, 0x9f, 0x1c];
const TRACE_WIDTH = 4.5;

type RGB = readonly [number, number, number];

export function logoSvg(): string {
  const points = TRACE.map(([x, y]) => `${x},${y}`).join(" ");
  const hex = (c: RGB) => "#" + c.map((v) => v.toString(16).padStart(2, "0")).join("");
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">`,
    `  <title>Spikelab</title>`,
    `  <circle cx="${DISC.cx}" cy="${DISC.cy}" r="${DISC.r}" fill="${hex(DISC_COLOR)}"/>`,
    `  <polyline points="${points}" fill="none" stroke="${hex(TRACE_COLOR)}" stroke-width="${TRACE_WIDTH}" stroke-linecap="round" stroke-linejoin="round"/>`,
    `</svg>`,
    "",
  ].join("\n");
}

/** The logo rasterized at `size` x `size` pixels (4x4 supersampling for smooth edges). */
export function logoPng(size: number): Buffer {
  const rgba = new Uint8Array(size * size * 4);
  const scale = 64 / size;
  const samples = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let disc = 0;
      let trace = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) * scale;
          const y = (py + (sy + 0.5) / samples) * scale;
          if (Math.hypot(x - DISC.cx, y - DISC.cy) <= DISC.r) disc++;
          if (distanceToTrace(x, y) <= TRACE_WIDTH / 2) trace++;
        }
      }
      const n = samples * samples;
      const a = disc / n;
      const t = trace / n;
      // Trace over disc, then the result over transparency.
      const alpha = t + a * (1 - t);
      const i = (py * size + px) * 4;
      for (let c = 0; c < 3; c++) {
        const premultiplied = TRACE_COLOR[c]! * t + DISC_COLOR[c]! * a * (1 - t);
        rgba[i + c] = alpha > 0 ? Math.round(premultiplied / alpha) : 0;
      }
      rgba[i + 3] = Math.round(alpha * 255);
    }
  }
  return encodePng(size, size, rgba);
}

function distanceToTrace(x: number, y: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let k = 1; k < TRACE.length; k++) {
    const [x0, y0] = TRACE[k - 1]!;
    const [x1, y1] = TRACE[k]!;
    const dx = x1 - x0;
    const dy = y1 - y0;
    const t = Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy)));
    best = Math.min(best, Math.hypot(x - (x0 + t * dx), y - (y0 + t * dy)));
  }
  return best;
}

/** A truecolor-with-alpha PNG: signature, IHDR, one IDAT (filter 0 per row), IEND. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  ihdr[10] = 0; // deflate
  ihdr[11] = 0; // adaptive filtering
  ihdr[12] = 0; // no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
