// The inspector page in headless Chromium (playwright-core driving Debian's chromium).
// Usage: node browser_test.cjs BASE_URL VIVAMO_CLI SCREENSHOT
// Checks: a customer created through the SDK (the `vivamo` CLI) appears without a reload
// within a second; approve on a customer under review changes its state and adds a delivery;
// fail rate 1 set on the page makes the next SDK call's 500s show in the live log; a customer
// whose fields hold HTML and script shows them as text and runs none; no console error.
'use strict';

const { chromium } = require('playwright-core');
const { spawn } = require('node:child_process');
const http = require('node:http');
const assert = require('node:assert/strict');

const [base, cli, screenshot] = process.argv.slice(2);
const env = { ...process.env, VIVAMO_BASE_URL: base, VIVAMO_API_KEY: 'sk_test_vivamo_sandbox', VIVAMO_ENVIRONMENT: 'sandbox' };

function vivamo(...args) {
  return new Promise((resolve) => {
    const child = spawn(cli, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('close', (code) => resolve({ code, out }));
  });
}

async function main() {
  const received = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => { received.push(body); res.end('ok'); });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  const hook = `http://127.0.0.1:${receiver.address().port}/hooks`;

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const problems = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.on('console', (m) => { if (m.type() === 'error') problems.push('console: ' + m.text()); });
    page.on('pageerror', (e) => problems.push('page error: ' + e.message));
    page.on('response', (res) => { if (res.status() >= 400 && !res.url().includes('/v1/')) problems.push(`HTTP ${res.status()} for ${res.url()}`); });
    page.on('dialog', (d) => { problems.push('dialog: ' + d.message()); d.dismiss(); });
    await page.goto(base + '/__sandbox/');
    await page.waitForFunction(() => document.getElementById('live').textContent === 'live');

    // 1. A customer created through the SDK appears without a reload, within a second.
    let r = await vivamo('customers', 'create', 'web_1', '--email', 'web1@example.com', '--first-name', 'Ada');
    assert.equal(r.code, 0, r.out);
    const created = Date.now();
    await page.waitForSelector('#customers tr[data-id="web_1"]', { timeout: 1000 });
    console.log(`customer shown ${Date.now() - created} ms after the SDK call returned`);

    // 2. Approve on a customer under review changes its state and adds a delivery.
    r = await vivamo('webhooks', 'create', hook);
    assert.equal(r.code, 0, r.out);
    const row = page.locator('#customers tr[data-id="web_1"]');
    await row.getByRole('button', { name: 'under review' }).click();
    await page.waitForFunction(() => document.querySelector('#customers tr[data-id="web_1"] .kyc').textContent === 'under_review');
    const before = await page.locator('#deliveries tr').count();
    await row.getByRole('button', { name: 'approve' }).click();
    await page.waitForFunction(() => document.querySelector('#customers tr[data-id="web_1"] .kyc').textContent === 'verified_manually');
    await page.waitForFunction((n) => document.querySelectorAll('#deliveries tr').length > n, before);
    assert.ok(received.some((b) => b.includes('verified_manually')), 'the receiver got the approval');

    // 3. Fail rate 1 on the page: the next SDK call's 500s show in the live log.
    await page.fill('input[name="failRate"]', '1');
    await page.click('#faults-apply');
    await page.waitForFunction(async () => (await (await fetch('/__sandbox/faults')).json()).failRate === 1);
    const failing = vivamo('customers', 'get', 'web_1');
    await page.waitForSelector('#requests td.s5', { timeout: 5000 });
    const faultText = await page.locator('#requests tr', { has: page.locator('td.s5') }).first().textContent();
    assert.ok(faultText.includes('fail_rate'), faultText);
    assert.notEqual((await failing).code, 0);
    await page.fill('input[name="failRate"]', '0');
    await page.click('#faults-apply');
    await page.waitForFunction(async () => (await (await fetch('/__sandbox/faults')).json()).failRate === 0);

    // 4. HTML and script in a customer's fields are shown as text and run nothing.
    const img = '<img src=x onerror="window.__pwned=1">';
    const script = '<script>window.__pwned=2</script>';
    r = await vivamo('customers', 'create', 'x<b>ss</b>', '--email', 'xss@example.com', '--first-name', img, '--last-name', script);
    assert.equal(r.code, 0, r.out);
    await page.waitForSelector('#customers tr[data-id="x<b>ss</b>"]');
    const cells = await page.locator('#customers tr[data-id="x<b>ss</b>"] td').allTextContents();
    assert.equal(cells[1], 'x<b>ss</b>');
    assert.equal(cells[3], `${img} ${script}`);
    assert.equal(await page.locator('#customers img, #customers script, #customers b').count(), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);

    await page.screenshot({ path: screenshot, fullPage: true });
    assert.deepEqual(problems, [], 'no console error, page error or dialog');
    console.log('browser test: 4 checks passed, no console error; screenshot ' + screenshot);
  } finally {
    await browser.close();
    receiver.close();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
