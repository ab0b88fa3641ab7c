// The privacy officer's screen "Verantwoording" (issue 16): the police's privacy officer
// searches the organisation's processing log by POST (nothing of the search in the URL)
// and sees the break-glass reads for review; a bad date is shown at its field. axe-core
// on every state (0 WCAG 2.1 A/AA violations), screenshots at 375 and 1280 px in
// target/werkplek-screenshots/ (hulp.js). The refused attempts, the disclosures and the
// inzage report follow the tour in werkplek.spec.js, when there are some.
const { test, expect } = require('@playwright/test');
const { controleer, aanmelden } = require('./hulp');

test('verantwoording door de privacyfunctionaris', async ({ page }) => {
  await aanmelden(page, 'privacy');
  await page.getByRole('link', { name: 'Verantwoording' }).first().click();
  await expect(page.locator('#doorbraken-kop')).toBeVisible();
  await controleer(page, '60-verantwoording');
  await page.getByRole('button', { name: 'Zoeken' }).click();
  await expect(page.locator('#resultaten-kop')).toBeVisible();
  await controleer(page, '61-verwerkingen-gezocht');
  expect(page.url()).not.toContain('?');
});
