import sharp from 'sharp';

/** Twice the SVG's size, so the image stays sharp when printed … */
const DENSITY = 144;
/** … unless that makes a side longer than this (a chart of many facets): then as large as fits. */
const MAX_SIDE_PX = 4096;

/** Rasterises a chart SVG for reports. */
export async function svgToPng(svg: string): Promise<Buffer> {
  const { width = 1, height = 1 } = await sharp(Buffer.from(svg)).metadata();
  const density = Math.min(DENSITY, Math.floor((72 * MAX_SIDE_PX) / Math.max(width, height)));
  return sharp(Buffer.from(svg), { density }).png({ compressionLevel: 9 }).toBuffer();
}
