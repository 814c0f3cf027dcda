import { createRequire } from 'node:module';
import type { Resvg as ResvgClass } from '@resvg/resvg-js';

/** The native renderer is loaded on the first chart, not at start-up (most processes never draw one). */
let Resvg: typeof ResvgClass | undefined;

/** Renders an SVG (built by a pure view) to PNG bytes with the system's fonts. */
export function renderSvgToPng(svg: string, width = 900): Buffer {
  Resvg ??= (createRequire(import.meta.url)('@resvg/resvg-js') as { Resvg: typeof ResvgClass }).Resvg;
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: width },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
