// axe-core in a page: the accessibility findings that the tests hold at zero.

import { join } from "node:path";

import { ROOT } from "./server.mjs";

/** axe-core's moderate, serious and critical findings on the page as it is now, in words. */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ path: join(ROOT, "node_modules/axe-core/axe.min.js") });
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ["violations"] })).violations);
  return violations
    .filter((v) => ["moderate", "serious", "critical"].includes(v.impact))
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
}
