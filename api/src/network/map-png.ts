import sharp from 'sharp';

/**
 * Rasterises the map SVG to exactly `width` × `height` pixels (the SVG is drawn at that size, so
 * sharp's 72 dpi gives one pixel per unit). Fonts as for the charts (DejaVu Sans, shipped).
 */
export async function svgToPngOfSize(svg: string, width: number, height: number): Promise<Buffer> {
  return sharp(Buffer.from(svg)).resize(width, height, { fit: 'fill' }).png({ compressionLevel: 9 }).toBuffer();
}
