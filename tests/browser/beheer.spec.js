// The functional admin's screens (issue 16): the police's admin opens "Instellingen en
// contactpunten" (the quality-check switch, saved as it is, on: .ci/browser switched it on
// for the tour) and "Convenanten" (every version with who signed it). Changes nothing the
// tour depends on. axe-core on every screen (0 WCAG 2.1 A/AA violations), screenshots at
// 375 and 1280 px in target/werkplek-screenshots/.
const { test, expect } = require('@playwright/test');
const { AxeBuilder } = require('@axe-core/playwright');
const path = require('path');

const SCHERMAFDRUKKEN = path.join(__dirname, '..', '..', 'target', 'werkplek-screenshots');

async function controleer(page, naam) {
  const uitkomst = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const samenvatting = uitkomst.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`);
  expect(samenvatting, `axe on ${naam}`).toEqual([]);
  const oud = page.viewportSize();
  for (const breedte of [375, 1280]) {
    await page.setViewportSize({ width: breedte, height: 900 });
    await page.screenshot({ path: path.join(SCHERMAFDRUKKEN, `${naam}-${breedte}.png`), fullPage: true });
  }
  await page.setViewportSize(oud);
}

async function aanmelden(page, rol) {
  await page.goto('/werkplek/aanmelden');
  await page.check(`#rol-${rol}`);
  await page.getByRole('button', { name: 'Aanmelden' }).click();
  await expect(page.locator('h1')).toHaveText('Werkplek');
}

test('functioneel beheer', async ({ page }) => {
  await aanmelden(page, 'politiebeheer');
  await page.getByRole('link', { name: 'Instellingen en contactpunten' }).first().click();
  await expect(page.locator('#kwaliteit-ja')).toBeChecked();
  await controleer(page, '30-beheer');
  await page.getByRole('button', { name: 'Kwaliteitscontrole opslaan' }).click();
  await expect(page.locator('#kwaliteit-ja')).toBeChecked();
  await page.getByRole('link', { name: 'Convenanten' }).first().click();
  await expect(page.locator('section.convenant').first()).toContainText('ja, door');
  await controleer(page, '31-convenanten');
});
