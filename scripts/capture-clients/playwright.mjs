// Headless Chromium driven by Playwright (playwright-core with Debian's chromium): loads the capture page, which
// makes a fetch() JSON POST, a second one with a library's Accept, and a form POST.
import { chromium } from 'playwright-core';

const [url, executablePath] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
// CAPTURE_INSECURE=1: the capture's self-signed certificate is accepted (the ClientHello is the same).
const page = await browser.newPage({ ignoreHTTPSErrors: process.env.CAPTURE_INSECURE === '1' });
await page.goto(url);
await page.waitForSelector('#done', { timeout: 20000 });
await browser.close();
