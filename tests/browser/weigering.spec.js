// A screen not meant for the role (issue 16): the wijkagent opens the inbox of Veilig
// Thuis's screens and gets the refusal page (403; the refusal is in the audit trail, as
// the API's). axe-core on the page (0 WCAG 2.1 A/AA violations), screenshots at 375 and
// 1280 px in target/werkplek-screenshots/ (hulp.js).
const { test, expect } = require('@playwright/test');
const { controleer, aanmelden } = require('./hulp');

test('een scherm dat niet voor de rol is', async ({ page }) => {
  await aanmelden(page, 'wijkagent');
  const antwoord = await page.goto('/werkplek/inbox');
  expect(antwoord.status()).toBe(403);
  await expect(page.getByRole('alert')).toContainText('Het scherm "Inbox" is voor');
  await controleer(page, '40-geweigerd');
});
