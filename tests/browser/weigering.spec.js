// A screen not meant for the role (issue 16): the wijkagent opens the inbox of Veilig
// Thuis's screens and gets the refusal page (403; the refusal is in the audit trail, as
// the API's). axe-core on the page (0 WCAG 2.1 A/AA violations), screenshots at 375 and
// 1280 px in target/werkplek-screenshots/.
const { test, expect } = require('@playwright/test');
const { AxeBuilder } = require('@axe-core/playwright');
const path = require('path');

const SCHERMAFDRUKKEN = path.join(__dirname, '..', '..', 'target', 'werkplek-screenshots');

test('een scherm dat niet voor de rol is', async ({ page }) => {
  await page.goto('/werkplek/aanmelden');
  await page.check('#rol-wijkagent');
  await page.getByRole('button', { name: 'Aanmelden' }).click();
  await expect(page.locator('h1')).toHaveText('Werkplek');
  const antwoord = await page.goto('/werkplek/inbox');
  expect(antwoord.status()).toBe(403);
  await expect(page.getByRole('alert')).toContainText('Het scherm "Inbox" is voor');
  const uitkomst = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(uitkomst.violations.map((v) => `${v.id}: ${v.help}`), 'axe on the refusal').toEqual([]);
  for (const breedte of [375, 1280]) {
    await page.setViewportSize({ width: breedte, height: 900 });
    await page.screenshot({ path: path.join(SCHERMAFDRUKKEN, `40-geweigerd-${breedte}.png`), fullPage: true });
  }
});
