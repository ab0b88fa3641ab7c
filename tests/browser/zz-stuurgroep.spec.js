// The steering group's pilot dashboard (issue 16): after the tour (this file's name makes
// it run after werkplek.spec.js: one worker, files in name order), the dashboard shows the
// late triage of Veilig Thuis for this month, counts only. axe-core on the page (0 WCAG
// 2.1 A/AA violations), screenshots at 375 and 1280 px in target/werkplek-screenshots/.
const { test, expect } = require('@playwright/test');
const { AxeBuilder } = require('@axe-core/playwright');
const path = require('path');

const SCHERMAFDRUKKEN = path.join(__dirname, '..', '..', 'target', 'werkplek-screenshots');

test('het pilotdashboard', async ({ page, request }) => {
  await page.goto('/werkplek/aanmelden');
  await page.check('#rol-stuurgroep');
  await page.getByRole('button', { name: 'Aanmelden' }).click();
  await expect(page.locator('h1')).toHaveText('Werkplek');
  await page.getByRole('link', { name: 'Pilotdashboard' }).first().click();
  const rij = page.locator('tr', { hasText: 'na beoordeling' }).filter({ hasText: 'veilig-thuis-haaglanden' }).first();
  await expect(rij).toBeVisible();
  await expect(page.locator('strong.te-laat, td').first()).toBeVisible();
  for (const p of ['999990032', 'Sem', 'Boer', 'Visser']) await expect(page.locator('body')).not.toContainText(p);
  const uitkomst = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(uitkomst.violations.map((v) => `${v.id}: ${v.help}`), 'axe on the dashboard').toEqual([]);
  for (const breedte of [375, 1280]) {
    await page.setViewportSize({ width: breedte, height: 900 });
    await page.screenshot({ path: path.join(SCHERMAFDRUKKEN, `50-dashboard-${breedte}.png`), fullPage: true });
  }
  const csv = await page.request.get('/werkplek/dashboard.csv');
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain('na beoordeling');
});
