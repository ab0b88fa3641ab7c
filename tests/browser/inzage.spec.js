// The printable inzage report (issue 15 point 6) in Debian's Chromium: the demo mother's
// report from the police's privacy officer (her record, the three incidents with the
// statements, who processed her data), opened as the parent would get it. At 375 and
// 1280 px: axe-core finds 0 violations of WCAG 2.1 A/AA, the page does not scroll
// sideways (WCAG 1.4.10), its own style block applies under its Content-Security-Policy;
// printed to PDF it has at least one page, rows do not split and the running header names
// her. Screenshots and the PDF go to target/werkplek-screenshots/ (the CI artefacts).
const { test, expect } = require('@playwright/test');
const { AxeBuilder } = require('@axe-core/playwright');
const fs = require('fs');
const path = require('path');

const UITVOER = path.join(__dirname, '..', '..', 'target', 'werkplek-screenshots');
const BSN_MOEDER = '999990020';

async function moederBijPolitie(request) {
  const res = await request.post('/api/v1/briefings/_zoek', {
    headers: { Authorization: `Bearer ${process.env.NOODHULP}` },
    data: { bsn: BSN_MOEDER },
  });
  expect(res.status()).toBe(200);
  const b = await res.json();
  expect(b.personen.length).toBeGreaterThan(0);
  return b.personen[0].id;
}

test('het inzagerapport voor een ouder', async ({ browser, request }) => {
  fs.mkdirSync(UITVOER, { recursive: true });
  const id = await moederBijPolitie(request);
  // Her own statement through the police's privacy officer, so the report has one.
  const verklaring = await request.post(`/api/v1/personen/${id}/eigen-verklaringen`, {
    headers: { Authorization: `Bearer ${process.env.PRIVACY}` },
    data: { tekst: 'Ik heb de kinderen die avond zelf naar school gebracht.' },
  });
  expect(verklaring.status()).toBe(201);

  const context = await browser.newContext({
    extraHTTPHeaders: { Authorization: `Bearer ${process.env.PRIVACY}`, Accept: 'text/html' },
  });
  const page = await context.newPage();
  const cspFouten = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspFouten.push(m.text());
  });
  const res = await page.goto(`/api/v1/personen/${id}/inzage`);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-security-policy']).toMatch(/style-src 'sha256-/);
  await expect(page.locator('h1')).toHaveText('Wat Politie eenheid Den Haag over u heeft vastgelegd');
  await expect(page.locator('.kop-naam')).toHaveText('Inzage voor Lisa Visser');
  // The inline style block applies (allowed by its hash): the header bar is red.
  const kleur = await page.locator('.kop').evaluate((e) => getComputedStyle(e).backgroundColor);
  expect(kleur).toBe('rgb(204, 0, 0)');
  // No personal data in the address.
  for (const p of [BSN_MOEDER, 'Lisa', 'Visser']) expect(page.url()).not.toContain(p);

  for (const breedte of [375, 1280]) {
    await page.setViewportSize({ width: breedte, height: 900 });
    const uitkomst = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    const samenvatting = uitkomst.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`);
    expect(samenvatting, `axe at ${breedte} px`).toEqual([]);
    const { scroll, breed } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      breed: document.documentElement.clientWidth,
    }));
    expect(scroll, `no horizontal scroll at ${breedte} px`).toBeLessThanOrEqual(breed);
    await page.screenshot({ path: path.join(UITVOER, `inzage-${breedte}.png`), fullPage: true });
  }
  expect(cspFouten).toEqual([]);

  // Printed: rows never split, the margin boxes carry her name and the page numbers.
  await page.emulateMedia({ media: 'print' });
  const afbreken = await page.locator('.velden .rij').first().evaluate((e) => getComputedStyle(e).breakInside);
  expect(afbreken).toBe('avoid');
  await expect(page.locator('.kop')).toBeHidden();
  const pdf = await page.pdf({ path: path.join(UITVOER, 'inzage.pdf'), preferCSSPageSize: true, printBackground: true });
  const paginas = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  expect(paginas).toBeGreaterThanOrEqual(1);
  console.log(`inzage.pdf: ${paginas} pagina's, ${pdf.length} bytes`);
  await context.close();
});
