// The printouts' font: Times New Roman where the computer has it, else the site's Tinos
// (generator/assets.py FONT_FAMILY, FONT_CSS). The browser fetches a font only when a page
// needs it, and printouts are not on screen: printing at once would set them in another font.
// The scoring page waits for it before printing and fetches it when idle (printing from the
// browser's menu cannot wait); so does the summary page.

/** The weights and styles the printouts use. */
const SHAPES = ["13pt", "bold 13pt", "italic 13pt", "italic bold 13pt"];

/**
 * Have the printouts' font ready, in each of its shapes. The family is the one the font's
 * style sheet names (--td-print-font); a font that cannot load leaves the next family of
 * the style sheet, and printing goes on.
 */
export async function fontsReady(page = globalThis.document) {
  const fonts = page?.fonts;
  if (!fonts) return;
  const family = getComputedStyle(page.documentElement).getPropertyValue("--td-print-font");
  if (!family.trim()) return;
  try {
    await Promise.all(SHAPES.map((shape) => fonts.load(`${shape} ${family}`, "Việt Nam ố ể ẫ")));
  } catch {
    // Printed in the style sheet's next family.
  }
}
