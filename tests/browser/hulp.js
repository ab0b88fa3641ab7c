// Shared steps of the werkplek's browser specs: axe-core and the screenshots per screen,
// signing in and out as a demo role, moving the demo clock.
const { expect } = require('@playwright/test');
const { AxeBuilder } = require('@axe-core/playwright');
const path = require('path');

const SCHERMAFDRUKKEN = path.join(__dirname, '..', '..', 'target', 'werkplek-screenshots');

// Personal data of the demo region that may never appear in a URL.
const PERSOONSGEGEVENS = ['999990032', '999990020', 'Sem', 'Boer', 'Visser', 'Lisa'];

// axe-core on the page (0 violations of WCAG 2.1 A/AA), screenshots at 375 and 1280 px
// (and at 375 px nothing wider than the phone), and no personal data in the URL.
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
  for (const p of PERSOONSGEGEVENS) expect(page.url()).not.toContain(p);
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

module.exports = { SCHERMAFDRUKKEN, PERSOONSGEGEVENS, controleer, aanmelden, afmelden };
