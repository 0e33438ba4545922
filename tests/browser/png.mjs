// Just enough PNG reading to tell a blank screenshot from a drawn one.

import { inflateSync } from "node:zlib";

/** { width, height, distinctBytes } of a PNG buffer (8-bit RGB/RGBA, as Chromium writes). */
export function pngSummary(buffer) {
  const width = buffer.readUInt32BE(16);
  const height = buffer.readUInt32BE(20);
  const chunks = [];
  for (let at = 8; at < buffer.length; ) {
    const length = buffer.readUInt32BE(at);
    const type = buffer.toString("ascii", at + 4, at + 8);
    if (type === "IDAT") chunks.push(buffer.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const pixels = inflateSync(Buffer.concat(chunks));
  const seen = new Set();
  for (let i = 0; i < pixels.length; i += 97) seen.add(pixels[i]);
  return { width, height, distinctBytes: seen.size };
}
