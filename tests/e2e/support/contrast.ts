/** Colour contrast as WCAG 2 defines it (relative luminance of sRGB), from computed CSS colours. */
export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

/** Parses what getComputedStyle returns for a colour: `rgb(r, g, b)` or `rgba(r, g, b, a)`. */
export function parseCssColor(value: string): Rgba {
  const match = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:[,\s/]+([\d.]+))?\s*\)$/.exec(value.trim());
  if (!match) throw new Error(`not a computed rgb() colour: ${value}`);
  return { r: Number(match[1]), g: Number(match[2]), b: Number(match[3]), a: match[4] === undefined ? 1 : Number(match[4]) };
}

/** A translucent colour as it shows over an opaque background. */
export function over(front: Rgba, back: Rgba): Rgba {
  const mix = (f: number, b: number) => f * front.a + b * (1 - front.a);
  return { r: mix(front.r, back.r), g: mix(front.g, back.g), b: mix(front.b, back.b), a: 1 };
}

function luminance({ r, g, b }: Rgba): number {
  const channel = (value: number) => {
    const c = value / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** (L1 + 0.05) / (L2 + 0.05), the lighter over the darker; `front` may be translucent over `back`. */
export function contrastRatio(front: Rgba, back: Rgba): number {
  const a = luminance(over(front, back));
  const b = luminance(back);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}
