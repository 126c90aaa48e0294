// Logs through the `logger` option (and VIVAMO_LOG), per-call options on the KYC methods,
// fields Vivamo adds tomorrow, and a forward proxy, against the sandbox binary.
import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';

import { APIConnectionError, APIUserAbortError, ConfigError, InternalServerError } from 'vivamo';

import { inFlight, KEY, rejection, requestLog, startSandbox, startTlsFront, waitFor } from './helpers.mjs';

/** A logger that keeps `[level, line]` pairs. */
function recorder() {
  const lines = [];
  const logger = Object.fromEntries(
    ['debug', 'info', 'warn', 'error'].map((level) => [level, (line) => lines.push([level, line])]),
  );
  return { lines, logger };
}

async function control(sb, path, body) {
  const response = await fetch(`${sb.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 200, await response.text());
}

describe('logs', () => {
  let sb;
  let failing;
  before(async () => {
    sb = await startSandbox();
    failing = await startSandbox(['--fail-rate', '1']);
  });
  after(async () => { await sb.stop(); await failing.stop(); });

  test('VIVAMO_LOG=info: one line per attempt through the logger, never the key', async () => {
    process.env.VIVAMO_LOG = 'info';
    try {
      const { lines, logger } = recorder();
      const vivamo = failing.client({ maxRetries: 2, logger });
      await rejection(vivamo.customers.get('log_1'));
      // Lines reach the logger on the event loop, possibly after the call settled.
      await waitFor('three attempt lines', () => lines.filter(([, line]) => line.includes('attempt')).length >= 3);
      const attempts = lines.filter(([, line]) => line.includes('attempt'));
      assert.deepEqual(attempts.map(([level]) => level), ['warn', 'warn', 'error'], JSON.stringify(lines));
      assert.match(attempts[0][1], /GET \/v1\/customers\/log_1 -> 500/);
      assert.match(attempts[0][1], /retrying in/);

      const ok = recorder();
      const client = sb.client({ logger: ok.logger });
      await client.customers.create({ externalCustomerId: 'log_ok', data: { email: 'log.ok@example.com' } });
      await waitFor('the create line', () => ok.lines.length >= 1);
      assert.equal(ok.lines.length, 1, JSON.stringify(ok.lines));
      assert.equal(ok.lines[0][0], 'info');
      assert.match(ok.lines[0][1], /POST \/v1\/customers -> 20/);
      for (const [, line] of [...lines, ...ok.lines]) {
        assert.ok(!line.includes(KEY), line);
        assert.ok(!line.includes('log.ok@example.com'), line);
      }
    } finally {
      delete process.env.VIVAMO_LOG;
    }
  });

  test('logLevel wins over VIVAMO_LOG; an unknown level is a ConfigError', async () => {
    process.env.VIVAMO_LOG = 'debug';
    try {
      const { lines, logger } = recorder();
      const vivamo = failing.client({ maxRetries: 0, logger, logLevel: 'off' });
      await rejection(vivamo.customers.get('log_2'));
      // A marker: a later call whose line goes to the same logger. Once it arrived (and one
      // more turn of the event loop), a line of the earlier call would have arrived too.
      const marker = failing.client({ maxRetries: 0, logger, logLevel: 'info' });
      await rejection(marker.customers.get('log_marker'));
      await waitFor('the marker line', () => lines.some(([, line]) => line.includes('log_marker')));
      await new Promise((resolve) => setTimeout(resolve, 0));
      assert.deepEqual(lines.filter(([, line]) => !line.includes('log_marker')), []);
      assert.throws(() => failing.client({ logLevel: 'loud' }), ConfigError);
    } finally {
      delete process.env.VIVAMO_LOG;
    }
  });

  test("update's rule warnings reach the logger at the default level", async () => {
    const { lines, logger } = recorder();
    const vivamo = sb.client({ logger });
    await vivamo.customers.create({ externalCustomerId: 'warn_1', data: { email: 'warn1@example.com' } });
    await vivamo.customers.update('warn_1', { email: 'someone@mailinator.com' });
    await waitFor('the update warning', () => lines.some(([level, line]) => level === 'warn' && line.includes('update warn_1')));
    assert.ok(lines.some(([level, line]) => level === 'warn' && line.includes('update warn_1')), JSON.stringify(lines));
  });
});

describe('KYC calls take the per-call options', () => {
  let sb;
  let failing;
  let slow;
  before(async () => {
    sb = await startSandbox();
    failing = await startSandbox(['--fail-rate', '1']);
    slow = await startSandbox(['--latency-ms', '2000']);
  });
  after(async () => { await sb.stop(); await failing.stop(); await slow.stop(); });

  test('headers arrive and kycInfo carries _request_id', async () => {
    const vivamo = sb.client();
    await vivamo.customers.create({ externalCustomerId: 'kyc_opt', data: { email: 'kyc.opt@example.com' } });
    const info = await vivamo.customers.kycInfo('kyc_opt', { headers: { 'x-step': 'kyc' } });
    const log = await requestLog(sb.url);
    const last = log[log.length - 1];
    assert.equal(last.headers['x-step'], 'kyc');
    assert.equal(info._request_id, last.requestId);
    const queue = await vivamo.customers.kycForReview({ headers: { 'x-step': 'queue' } });
    assert.ok(Array.isArray(queue));
  });

  test('maxRetries: 0 and an AbortSignal apply', async () => {
    const vivamo = failing.client({ maxRetries: 2 });
    const before = (await requestLog(failing.url)).length;
    const err = await rejection(vivamo.customers.kycForReview({ maxRetries: 0 }));
    assert.ok(err instanceof InternalServerError, String(err));
    assert.equal((await requestLog(failing.url)).length - before, 1);

    const controller = new AbortController();
    const pending = slow.client().customers.approveKyc('u1', 'proof_of_id', { signal: controller.signal });
    await inFlight(slow.url, '/v1/customers/u1/kyc-verify/proof_of_id');
    controller.abort();
    const aborted = await rejection(pending);
    assert.ok(aborted instanceof APIUserAbortError, String(aborted));
  });
});

describe('forward compatibility and proxies', () => {
  let sb;
  before(async () => { sb = await startSandbox(); });
  after(async () => { await sb.stop(); });

  test('fields Vivamo adds are present on the returned objects', async () => {
    const vivamo = sb.client();
    await control(sb, '/__sandbox/extra-fields', { fields: { loyaltyTier: 'gold', score: 7 } });
    try {
      const created = await vivamo.customers.create({ externalCustomerId: 'extra_1', data: { email: 'extra1@example.com' } });
      assert.equal(created.customer.loyaltyTier, 'gold');
      const customer = await vivamo.customers.get('extra_1');
      assert.equal(customer.loyaltyTier, 'gold');
      assert.equal(customer.score, 7);
      assert.equal(customer.externalCustomerId, 'extra_1');
      const page = await vivamo.customers.list();
      assert.equal(page.customers[0].loyaltyTier, 'gold');
    } finally {
      await control(sb, '/__sandbox/extra-fields', { fields: {} });
    }
    assert.equal((await vivamo.customers.get('extra_1')).loyaltyTier, undefined);
  });

  test('requests go through an explicit proxy', async () => {
    const seen = [];
    // A small forward proxy: absolute-form requests are replayed to their host.
    const proxy = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      const upstream = http.request(req.url, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => { res.writeHead(502); res.end(); });
      req.pipe(upstream);
    });
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    try {
      const vivamo = sb.client({ proxy: `http://127.0.0.1:${proxy.address().port}`, maxIdleConnections: 0 });
      const page = await vivamo.customers.list({ size: 1 });
      assert.equal(page.page, 1);
      assert.ok(seen.some((line) => line.startsWith(`GET ${sb.url}/v1/customers`)), JSON.stringify(seen));
    } finally {
      proxy.close();
      proxy.closeAllConnections();
    }
  });

  test('https to a server of a private CA goes through the addon\'s TLS stack', async () => {
    // The handshake is rustls with ring, as shipped.
    const front = await startTlsFront(sb.url);
    const url = front.url;
    try {
      const vivamo = sb.client({ baseUrl: url, caBundle: front.ca, maxIdleConnections: 0 });
      await vivamo.customers.create({ externalCustomerId: 'tls_1', data: { email: 'tls1@example.com' } });
      assert.equal((await vivamo.customers.get('tls_1')).externalCustomerId, 'tls_1');
      assert.ok(front.handshakes >= 1);
      // Without the private root the same server is refused, as a connection error.
      const refused = await rejection(sb.client({ baseUrl: url, maxRetries: 0 }).customers.get('tls_1'));
      assert.ok(refused instanceof APIConnectionError, String(refused));
    } finally {
      front.close();
    }
  });
});
