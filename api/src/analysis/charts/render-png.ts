import sharp from 'sharp';

/** Rasterises a chart SVG for reports; twice the SVG's size so it stays sharp when printed. */
export async function svgToPng(svg: string): Promise<Buffer> {
  return sharp(Buffer.from(svg), { density: 144 }).png({ compressionLevel: 9 }).toBuffer();
}
