/**
 * Renders the interviewer app's icons (committed under frontend/public/icons) from
 * frontend/build/interview-icon.svg. Run after changing the SVG: `npx tsx frontend/build/render-interview-icons.ts`.
 * The SVG has no text, so no fonts are needed to render it.
 */
import path from 'node:path';
import sharp from 'sharp';

const here = import.meta.dirname;
const source = path.join(here, 'interview-icon.svg');
for (const size of [192, 512]) {
  await sharp(source, { density: (72 * size) / 512 })
    .resize(size, size)
    .png({ compressionLevel: 9, palette: true })
    .toFile(path.join(here, '../public/icons', `interview-${size}.png`));
}
