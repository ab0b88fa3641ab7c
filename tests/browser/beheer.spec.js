// The functional admin's screens (issue 16): the police's admin opens "Instellingen en
// contactpunten" (the quality-check switch, saved as it is, on: .ci/browser switched it on
// for the tour) and "Convenanten" (every version with who signed it). Changes nothing the
// tour depends on. axe-core on every screen (0 WCAG 2.1 A/AA violations), screenshots at
// 375 and 1280 px in target/werkplek-screenshots/ (hulp.js).
const { test, expect } = require('@playwright/test');
const { controleer, aanmelden } = require('./hulp');

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
