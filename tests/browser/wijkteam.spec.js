// The screens of the wijkteam and the gezinsvoogd (issue 16): Veilig Thuis hands the
// tour's melding over to the wijkteam (the demo agreement lets the wijkteam read it for
// coordination); the wijkteam worker finds it under "Overdrachten" and the feedback the
// wijkteam now owes under "Terugkoppeling die wij verschuldigd zijn", is refused a
// rejection without a reason, then rejects with one. Runs after werkplek.spec.js (one
// worker, files in name order), whose tour leaves that melding in progress at Veilig
// Thuis. axe-core on every screen (0 WCAG 2.1 A/AA violations), screenshots at 375 and
// 1280 px in target/werkplek-screenshots/ (hulp.js).
const { test, expect } = require('@playwright/test');
const { controleer, aanmelden, afmelden } = require('./hulp');

test('overdracht aan het wijkteam', async ({ page }) => {
  // Veilig Thuis hands the melding in progress over to the wijkteam.
  await aanmelden(page, 'triagist');
  await page.goto('/werkplek/inbox');
  await page.locator('tr', { hasText: 'in behandeling' }).first().locator('a').click();
  await page.selectOption('#overdracht-naar', 'wijkteam-den-haag-centrum');
  await page.fill('#overdracht-toelichting', 'Het wijkteam kent het gezin en pakt dit op.');
  await page.getByRole('button', { name: 'Overdragen' }).click();
  await expect(page.locator('dl.gegevens').first()).toBeVisible();
  await afmelden(page);

  await aanmelden(page, 'wijkteam');
  await page.getByRole('link', { name: 'Overdrachten' }).first().click();
  await expect(page.locator('section.overdracht').first()).toContainText('Veilig Thuis Haaglanden');
  await controleer(page, '20-overdrachten');
  await page.getByRole('link', { name: 'Terugkoppeling die wij verschuldigd zijn' }).first().click();
  await expect(page.locator('tr.schuld').first()).toBeVisible();
  await controleer(page, '21-verschuldigd');

  // A rejection without a reason is refused, at the melding, with the reason asked.
  await page.getByRole('link', { name: 'Overdrachten' }).first().click();
  const kaart = page.locator('section.overdracht').first();
  await kaart.getByRole('button', { name: 'Afwijzen' }).click();
  await expect(page.locator('.utrecht-alert--error')).toBeVisible();
  await controleer(page, '22-afwijzen-zonder-reden');
  await page.getByRole('link', { name: 'Overdrachten' }).first().click();
  await page.locator('section.overdracht').first().locator('textarea').fill('Dit hoort bij de gezinsvoogd; er loopt een ondertoezichtstelling.');
  await page.locator('section.overdracht').first().getByRole('button', { name: 'Afwijzen' }).click();
  await expect(page.locator('dl.gegevens').first()).toContainText('afgewezen');
  await afmelden(page);
});
