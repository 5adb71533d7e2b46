// Draws build/icon.png (512×512 RGBA): a green rounded square with a white leaf. Zero dependencies:
// the pixels are computed here (4×4 supersampled) and written as PNG chunks with node:zlib.
// Run: node build/make-icon.cjs   (electron-builder turns this PNG into the Windows .ico and Linux icons)
const { deflateSync } = require('node:zlib');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const SIZE = 512;
const SAMPLES = 4;
const GREEN_TOP = [67, 160, 71]; // #43A047
const GREEN_BOTTOM = [27, 94, 32]; // #1B5E20
const WHITE = [255, 255, 255];

// Leaf geometry: a lens (intersection of two circles) along the diagonal, bottom-left to top-right.
const C = SIZE / 2;
const HALF_LENGTH = 165;
const HALF_WIDTH = 78;
const RADIUS = (HALF_LENGTH ** 2 + HALF_WIDTH ** 2) / (2 * HALF_WIDTH);
const AXIS = [Math.SQRT1_2, -Math.SQRT1_2]; // towards the top right
const SIDE = [Math.SQRT1_2, Math.SQRT1_2];

function insideRoundedSquare(x, y, margin, radius) {
  const lo = margin + radius;
  const hi = SIZE - margin - radius;
  const dx = Math.max(lo - x, 0, x - hi);
  const dy = Math.max(lo - y, 0, y - hi);
  return x >= margin && x <= SIZE - margin && y >= margin && y <= SIZE - margin && dx * dx + dy * dy <= radius * radius;
}

/** 'leaf', 'vein' or null for a point, in leaf coordinates (a along the axis, b across it). */
function leafPart(x, y) {
  const px = x - C + 14; // leaf sits slightly up and right, leaving room for the stem
  const py = y - C - 14;
  const a = px * AXIS[0] + py * AXIS[1];
  const b = px * SIDE[0] + py * SIDE[1];
  const offset = RADIUS - HALF_WIDTH;
  const inLens = a * a + (b - offset) ** 2 <= RADIUS ** 2 && a * a + (b + offset) ** 2 <= RADIUS ** 2;
  if (inLens) {
    const midrib = Math.abs(b) <= 5 && a > -HALF_LENGTH + 28 && a < HALF_LENGTH - 34;
    // Side veins: short strokes leaving the midrib at 45°, three per side.
    const vein = [-70, -10, 50].some((start) => {
      const along = a - start;
      const across = Math.abs(b);
      return along > 0 && along < 62 && Math.abs(along - across) <= 3.5 && across > 4;
    });
    return midrib || vein ? 'vein' : 'leaf';
  }
  // Stem: continues the axis beyond the bottom-left tip, slightly curved.
  const stemA = -a - HALF_LENGTH + 6;
  const bend = 0.0022 * stemA * stemA;
  if (stemA > 0 && stemA < 70 && Math.abs(b - bend) <= 7) return 'leaf';
  return null;
}

function pixel(x, y) {
  let r = 0;
  let g = 0;
  let b = 0;
  let alpha = 0;
  for (let sy = 0; sy < SAMPLES; sy++) {
    for (let sx = 0; sx < SAMPLES; sx++) {
      const fx = x + (sx + 0.5) / SAMPLES;
      const fy = y + (sy + 0.5) / SAMPLES;
      if (!insideRoundedSquare(fx, fy, 16, 96)) continue;
      const t = fy / SIZE;
      let colour = GREEN_TOP.map((top, i) => top + (GREEN_BOTTOM[i] - top) * t);
      const part = leafPart(fx, fy);
      if (part === 'leaf') colour = WHITE;
      r += colour[0];
      g += colour[1];
      b += colour[2];
      alpha += 1;
    }
  }
  if (alpha === 0) return [0, 0, 0, 0];
  return [Math.round(r / alpha), Math.round(g / alpha), Math.round(b / alpha), Math.round((255 * alpha) / SAMPLES ** 2)];
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function encodePng() {
  const raw = Buffer.alloc(SIZE * (1 + SIZE * 4));
  for (let y = 0; y < SIZE; y++) {
    const row = y * (1 + SIZE * 4);
    raw[row] = 0; // filter: none
    for (let x = 0; x < SIZE; x++) {
      const [r, g, b, a] = pixel(x, y);
      raw.set([r, g, b, a], row + 1 + x * 4);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  header[10] = 0; // compression
  header[11] = 0; // filter
  header[12] = 0; // no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const out = join(__dirname, 'icon.png');
writeFileSync(out, encodePng());
console.log(`[make-icon] wrote ${out}`);
