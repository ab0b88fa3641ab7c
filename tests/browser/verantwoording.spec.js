// The privacy officer's screen "Verantwoording" (issue 16): the police's privacy officer
// searches the organisation's processing log by POST (nothing of the search in the URL)
// and sees the break-glass reads for review; a bad date is shown at its field. axe-core
// on every state (0 WCAG 2.1 A/AA violations), screenshots at 375 and 1280 px in
// target/werkplek-screenshots/.
const { test, expect } = require('@playwright/test');
const { AxeBuilder } = require('@axe-core/playwright');
const path = require('path');

const SCHERMAFDRUKKEN = path.join(__dirname, '..', '..', 'target', 'werkplek-screenshots');

async function controleer(page, naam) {
  const uitkomst = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(uitkomst.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`), `axe on ${naam}`).toEqual([]);
  const oud = page.viewportSize();
  for (const breedte of [375, 1280]) {
    await page.setViewportSize({ width: breedte, height: 900 });
    await page.screenshot({ path: path.join(SCHERMAFDRUKKEN, `${naam}-${breedte}.png`), fullPage: true });
  }
  await page.setViewportSize(oud);
  expect(page.url()).not.toContain('?');
}

test('verantwoording door de privacyfunctionaris', async ({ page }) => {
  await page.goto('/werkplek/aanmelden');
  await page.check('#rol-privacy');
  await page.getByRole('button', { name: 'Aanmelden' }).click();
  await expect(page.locator('h1')).toHaveText('Werkplek');
  await page.getByRole('link', { name: 'Verantwoording' }).first().click();
  await expect(page.locator('#doorbraken-kop')).toBeVisible();
  await controleer(page, '60-verantwoording');
  await page.getByRole('button', { name: 'Zoeken' }).click();
  await expect(page.locator('#resultaten-kop')).toBeVisible();
  await controleer(page, '61-verwerkingen-gezocht');
});
