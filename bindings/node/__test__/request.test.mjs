// `vivamo.request`: any endpoint with the client's key, retries, deadline and typed errors,
// against the sandbox binary (its request log shows what arrived).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { APIError, APIUserAbortError, ConfigError, InternalServerError, NotFoundError } from 'vivamo';

import { rejection, requestLog, startSandbox } from './helpers.mjs';

describe('vivamo.request', () => {
  let sb;
  let failing;
  before(async () => {
    sb = await startSandbox();
    failing = await startSandbox(['--fail-rate', '1']);
  });
  after(async () => {
    await sb.stop();
    await failing.stop();
  });

  test('GET with a query, POST with a body, per-call headers', async () => {
    const vivamo = sb.client();
    const created = await vivamo.request({
      method: 'post',
      path: '/v1/customers',
      body: { externalCustomerId: 'raw_1', data: { email: 'raw1@example.com' } },
    });
    assert.equal(created.externalCustomerId, 'raw_1');
    const page = await vivamo.request(
      { method: 'GET', path: '/v1/customers', query: { page: 1, size: 100 } },
      { headers: { 'x-team': 'ops' } },
    );
    assert.equal(page.page, 1);
    assert.ok(page.customers.some((c) => c.externalCustomerId === 'raw_1'));
    const last = (await requestLog(sb.url)).at(-1);
    assert.equal(last.method, 'GET');
    assert.equal(last.path, '/v1/customers');
    assert.equal(last.headers['x-team'], 'ops');
    assert.equal(last.headers.authorization, '[redacted]');
  });

  test('errors are typed by status; bad arguments name themselves', async () => {
    const vivamo = sb.client();
    const missing = await rejection(vivamo.request({ method: 'GET', path: '/v1/customers/nobody_raw' }));
    assert.ok(missing instanceof NotFoundError, String(missing));
    assert.equal(missing.status, 404);
    const bad = await rejection(vivamo.request({ method: 'POST', path: '/v1/customers', body: { externalCustomerId: '' } }));
    assert.ok(bad instanceof APIError && bad.status === 400, String(bad));
    for (const [init, pattern] of [
      [{ method: 'GET', path: 'v1/customers' }, /single `\/`/],
      [{ method: 'GET', path: '/v1/customers?page=2' }, /query or fragment/],
      [{ method: 'GE T', path: '/v1/customers' }, /not an HTTP method/],
      [{ method: 'GET', path: '/v1/customers', query: { page: [1] } }, /query\.page/],
    ]) {
      const e = await rejection(vivamo.request(init));
      assert.ok(e instanceof ConfigError && pattern.test(e.message), `${JSON.stringify(init)}: ${e}`);
    }
  });

  test('a POST is retried only when idempotent', async () => {
    const vivamo = failing.client({ maxRetries: 2, backoff: { initialMs: 1, maxMs: 2 } });
    const count = async () => (await requestLog(failing.url)).length;
    for (const [init, attempts] of [
      [{ method: 'POST', path: '/v1/customers', body: { externalCustomerId: 'u1' } }, 1],
      [{ method: 'POST', path: '/v1/customers', body: { externalCustomerId: 'u1' }, idempotent: true }, 3],
      [{ method: 'GET', path: '/v1/customers' }, 3],
    ]) {
      const before = await count();
      assert.ok((await rejection(vivamo.request(init))) instanceof InternalServerError);
      assert.equal((await count()) - before, attempts, JSON.stringify(init));
    }
  });

  test('an AbortSignal ends the call', async () => {
    const controller = new AbortController();
    controller.abort();
    const e = await rejection(sb.client().request({ method: 'GET', path: '/v1/customers' }, { signal: controller.signal }));
    assert.ok(e instanceof APIUserAbortError, String(e));
  });
});
