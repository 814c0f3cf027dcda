import { Resvg } from '@resvg/resvg-js';

/** Renders an SVG (built by a pure view) to PNG bytes with the system's fonts. */
export function renderSvgToPng(svg: string, width = 900): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: width },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
