// Playwright for the werkplek's browser tests, driving Debian's Chromium (never a browser
// download): .ci/browser starts the service and sets WERKPLEK_URL.
const { defineConfig } = require('@playwright/test');

module.exports = defineConfig({
  testDir: '.',
  timeout: 180000,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: process.env.WERKPLEK_URL || 'http://127.0.0.1:18716',
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox'],
    },
    viewport: { width: 1280, height: 900 },
    locale: 'nl-NL',
    timezoneId: 'Europe/Amsterdam',
  },
});
