/**
 * Shared by the examples: greyscale images as an SVG grid. Each image is embedded as a small PNG
 * (encoded here: 8-bit greyscale, zlib from node:zlib) drawn with `image-rendering: pixelated`,
 * so the file stays small and every pixel stays sharp. Not an example itself.
 */
import { deflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const body = Buffer.concat([head.subarray(4), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body), 0);
  return Buffer.concat([head.subarray(0, 4), body, crc]);
}

/** An 8-bit greyscale PNG of `pixels` (row-major `height × width`, values in [0, 1], clipped). */
export function greyPng(pixels: ArrayLike<number>, height: number, width: number): Buffer {
  const raw = Buffer.alloc(height * (width + 1));
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0; // filter: none
    for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = Math.round(255 * Math.min(1, Math.max(0, pixels[y * width + x]!)));
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
}

function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** One labelled row of images. */
export interface ImageRow {
  label: string;
  /** Each image row-major `height × width`, values in [0, 1]. */
  images: ArrayLike<number>[];
}

/** An SVG document: a title, then one row of images per entry (white on black, `scale` screen pixels per pixel). */
export function imageGridSvg(title: string, rows: readonly ImageRow[], height: number, width: number, scale = 3): string {
  const cols = Math.max(...rows.map((r) => r.images.length));
  const labelW = 130;
  const cell = Math.max(height, width) * scale + 6;
  const W = labelW + cols * cell + 10;
  const H = 36 + rows.length * cell + 8;
  const out = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`,
  ];
  rows.forEach((r, ri) => {
    const y = 36 + ri * cell;
    out.push(`<text x="${labelW - 10}" y="${y + cell / 2}" text-anchor="end" dominant-baseline="middle" font-size="13">${escapeXml(r.label)}</text>`);
    r.images.forEach((img, ci) => {
      const png = greyPng(img, height, width).toString('base64');
      out.push(`<image x="${labelW + ci * cell}" y="${y}" width="${width * scale}" height="${height * scale}" style="image-rendering:pixelated" href="data:image/png;base64,${png}"/>`);
    });
  });
  out.push('</svg>', '');
  return out.join('\n');
}
