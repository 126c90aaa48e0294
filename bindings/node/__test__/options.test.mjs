// Per-call control against the sandbox binary: request options, withOptions, _request_id,
// AbortSignal (the sandbox's request log shows what arrived and what was abandoned).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { APITimeoutError, APIUserAbortError, ConfigError, InternalServerError } from 'vivamo';

import { inFlight, rejection, requestLog, startSandbox, startTlsFront, waitFor } from './helpers.mjs';

describe('request options', () => {
  let sb;
  before(async () => { sb = await startSandbox(); });
  after(async () => { await sb.stop(); });

  test('extra headers arrive and _request_id is the id the sandbox sent', async () => {
    const vivamo = sb.client().withOptions({ headers: { 'x-team': 'checkout' } });
    const created = await vivamo.customers.create(
      { externalCustomerId: 'opt_1', data: { email: 'opt1@example.com' } },
      { headers: { 'x-correlation-id': 'order_981' } },
    );
    let log = await requestLog(sb.url);
    let last = log[log.length - 1];
    assert.equal(last.headers['x-correlation-id'], 'order_981');
    assert.equal(last.headers['x-team'], 'checkout');
    assert.equal(created._request_id, last.requestId);
    assert.match(created._request_id, /^req_/);

    const customer = await vivamo.customers.get('opt_1');
    log = await requestLog(sb.url);
    last = log[log.length - 1];
    assert.equal(customer._request_id, last.requestId);
    const page = await vivamo.customers.list({ size: 5 });
    assert.match(page._request_id, /^req_/);
    assert.equal(page.customers[0]._request_id, undefined);
    const ensured = await vivamo.customers.ensure({ externalCustomerId: 'opt_1', data: { email: 'opt1@example.com' } });
    assert.equal(ensured.created, false);
    assert.match(ensured._request_id, /^req_/);
  });

  test('the SDK owns Authorization, Content-Type and User-Agent', async () => {
    const vivamo = sb.client();
    for (const name of ['Authorization', 'content-type', 'User-Agent']) {
      assert.throws(() => vivamo.withOptions({ headers: { [name]: 'x' } }), ConfigError);
      const err = await rejection(vivamo.customers.get('u', { headers: { [name]: 'x' } }));
      assert.ok(err instanceof ConfigError, String(err));
      assert.ok(err.message.includes(name), err.message);
    }
    assert.throws(() => vivamo.withOptions({ timeoutMs: -1 }), ConfigError);
  });

  test('appInfo names the application in the User-Agent', async () => {
    const vivamo = sb.client({ appInfo: { name: 'acme-onboarding', version: '1.4.2', url: 'https://acme.example' } });
    await vivamo.customers.list();
    const agent = (await requestLog(sb.url)).at(-1).headers['user-agent'];
    assert.ok(agent.startsWith('vivamo-node/'), agent);
    assert.ok(agent.endsWith(' acme-onboarding/1.4.2 (+https://acme.example)'), agent);
    assert.throws(() => sb.client({ appInfo: { name: 'acme onboarding' } }), (e) => e instanceof ConfigError && /appInfo|app_info\.name/.test(e.message));
  });

  test('HTTP/2 is used where the server offers it by ALPN; http2: false keeps to HTTP/1.1', async () => {
    const front = await startTlsFront(sb.url);
    try {
      for (const [http2, version, alpn] of [[undefined, 'HTTP/2.0', 'h2'], [false, 'HTTP/1.1', 'http/1.1']]) {
        const page = await sb.client({ baseUrl: front.url, caBundle: front.ca, http2 }).customers.list();
        assert.equal(page.page, 1);
        assert.equal((await requestLog(sb.url)).at(-1).httpVersion, version, `http2: ${http2}`);
        assert.equal(front.protocols.at(-1), alpn, `http2: ${http2}`);
      }
    } finally {
      front.close();
    }
  });
});

describe('per-call retries and deadlines', () => {
  let failing;
  let slow;
  let stuck;
  before(async () => {
    failing = await startSandbox(['--fail-rate', '1']);
    slow = await startSandbox(['--latency-ms', '2000']);
    stuck = await startSandbox(['--latency-ms', '60000']);
  });
  after(async () => { await failing.stop(); await slow.stop(); await stuck.stop(); });

  test('onRetry sees each retry, backoff sets the waits', async () => {
    const events = [];
    const vivamo = failing.client({ maxRetries: 2, backoff: { initialMs: 10, maxMs: 20 }, onRetry: (e) => events.push(e) });
    await assert.rejects(vivamo.customers.get('u1'), InternalServerError);
    await waitFor('both retries reported', () => events.length === 2);
    assert.deepEqual(events.map((e) => [e.attempt, e.error, e.status]), [[1, 'server', 500], [2, 'server', 500]]);
    assert.ok(events.every((e) => e.operation === 'get_customer' && e.delayMs > 0 && e.delayMs <= 20), JSON.stringify(events));
    const throwing = failing.client({ maxRetries: 1, backoff: { initialMs: 10, maxMs: 10 }, onRetry: () => { throw new Error('hook failed'); } });
    await assert.rejects(throwing.customers.get('u1'), InternalServerError);
    assert.throws(() => failing.client({ onRetry: 42 }), ConfigError);
    assert.throws(() => failing.client({ backoff: { initialMs: 0, maxMs: 1 } }), ConfigError);
  });

  test('maxRetries: 0 fails at once while the client still retries', async () => {
    const vivamo = failing.client({ maxRetries: 2 });
    const before = (await requestLog(failing.url)).length;
    const err = await rejection(vivamo.customers.get('u1', { maxRetries: 0 }));
    assert.ok(err instanceof InternalServerError, String(err));
    const once = (await requestLog(failing.url)).length;
    assert.equal(once - before, 1);
    await rejection(vivamo.customers.get('u1'));
    assert.equal((await requestLog(failing.url)).length - once, 3);
  });

  // How soon a deadline or an abort takes effect is measured by the bench; here a bound with
  // seconds of slack only tells "cut short" from "waited the minute of latency out".
  test('a 300 ms deadline against a minute of latency ends the call early', async () => {
    const vivamo = stuck.client();
    const started = performance.now();
    const err = await rejection(vivamo.customers.get('u1', { deadlineMs: 300 }));
    const took = performance.now() - started;
    assert.ok(err instanceof APITimeoutError, String(err));
    assert.ok(took < 20_000, `took ${took} ms`);
  });

  test('an abort rejects the call in flight and the sandbox sees the connection closed', async () => {
    const vivamo = slow.client();
    const controller = new AbortController();
    const pending = vivamo.customers.get('abort_1', { signal: controller.signal });
    await inFlight(slow.url, '/v1/customers/abort_1');
    controller.abort();
    const err = await rejection(pending);
    assert.ok(err instanceof APIUserAbortError, String(err));
    assert.equal(err.kind, 'abort');
    // A call sent after it ends after the same latency: by then the aborted one would have
    // been answered had its client stayed.
    await rejection(vivamo.customers.get('abort_marker'));
    const log = await requestLog(slow.url);
    const entry = log.find((r) => r.path === '/v1/customers/abort_1');
    assert.equal(entry.completed, false, JSON.stringify(entry));
    assert.equal(log.find((r) => r.path === '/v1/customers/abort_marker').completed, true);
    // An already aborted signal rejects without sending anything.
    const again = await rejection(vivamo.customers.get('abort_2', { signal: controller.signal }));
    assert.ok(again instanceof APIUserAbortError);
    assert.equal((await requestLog(slow.url)).filter((r) => r.path === '/v1/customers/abort_2').length, 0);
  });
});
