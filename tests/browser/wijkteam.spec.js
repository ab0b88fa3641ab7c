// The screens of the wijkteam and the gezinsvoogd (issue 16): Veilig Thuis hands the
// tour's melding over to the wijkteam (the demo agreement lets the wijkteam read it for
// coordination); the wijkteam worker finds it under "Overdrachten" and the feedback the
// wijkteam now owes under "Terugkoppeling die wij verschuldigd zijn", is refused a
// rejection without a reason, then rejects with one. Runs after werkplek.spec.js (one
// worker, files in name order), whose tour leaves that melding in progress at Veilig
// Thuis. axe-core on every screen (0 WCAG 2.1 A/AA violations), screenshots at 375 and
// 1280 px in target/werkplek-screenshots/.
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
    if (breedte === 375) {
      const breed = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(breed, `${naam} fits 375 px`).toBeLessThanOrEqual(375);
    }
  }
  await page.setViewportSize(oud);
  for (const p of ['999990032', 'Sem', 'Boer', 'Visser']) expect(page.url()).not.toContain(p);
}

async function aanmelden(page, rol) {
  await page.goto('/werkplek/aanmelden');
  await page.check(`#rol-${rol}`);
  await page.getByRole('button', { name: 'Aanmelden' }).click();
  await expect(page.locator('h1')).toHaveText('Werkplek');
}

async function afmelden(page) {
  await page.getByRole('button', { name: 'Afmelden' }).click();
  await expect(page.locator('h1')).toHaveText('Aanmelden');
}

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
  await expect(page.locator('section.overdracht').first()).toContainText('veilig-thuis-haaglanden');
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
