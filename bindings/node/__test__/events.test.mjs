// `onRequest` / `onResponse`: each attempt as it is sent and as it ends, with the method, path,
// status, timing, attempt and request id — never the key or a body — against the sandbox.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { ConfigError, InternalServerError, NotFoundError } from 'vivamo';

import { KEY, startSandbox, waitFor } from './helpers.mjs';

describe('onRequest / onResponse', () => {
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

  test('each attempt is told as sent and as ended', async () => {
    const requests = [];
    const responses = [];
    const vivamo = sb.client({ onRequest: (e) => requests.push(e), onResponse: (e) => responses.push(e) });
    const created = await vivamo.customers.create({ externalCustomerId: 'ev_1', data: { email: 'ev1@example.com' } });
    await vivamo.customers.get('ev_1');
    await assert.rejects(vivamo.customers.get('ev_nobody'), NotFoundError);
    await waitFor('three attempts told', () => requests.length === 3 && responses.length === 3);
    assert.deepEqual(requests, [
      { operation: 'create_customer', method: 'POST', path: '/v1/customers', attempt: 1 },
      { operation: 'get_customer', method: 'GET', path: '/v1/customers/ev_1', attempt: 1 },
      { operation: 'get_customer', method: 'GET', path: '/v1/customers/ev_nobody', attempt: 1 },
    ]);
    assert.deepEqual(
      responses.map((e) => [e.operation, e.status, e.error]),
      [['create_customer', 200, undefined], ['get_customer', 200, undefined], ['get_customer', 404, 'not_found']],
    );
    assert.equal(responses[0].requestId, created._request_id);
    assert.ok(responses.every((e) => e.elapsedMs > 0), JSON.stringify(responses));
    const shown = JSON.stringify([requests, responses]);
    assert.ok(!shown.includes(KEY) && !shown.includes('ev1@example.com'), shown);
  });

  test('retried attempts are each told; a hook that throws does not break the call', async () => {
    const requests = [];
    const responses = [];
    const vivamo = failing.client({
      maxRetries: 2,
      backoff: { initialMs: 1, maxMs: 2 },
      onRequest: (e) => { requests.push(e); throw new Error('hook failed'); },
      onResponse: (e) => responses.push(e),
    });
    await assert.rejects(vivamo.customers.get('u1'), InternalServerError);
    await waitFor('three attempts told', () => requests.length === 3 && responses.length === 3);
    assert.deepEqual(requests.map((e) => e.attempt), [1, 2, 3]);
    assert.deepEqual(responses.map((e) => [e.attempt, e.status, e.error]), [[1, 500, 'server'], [2, 500, 'server'], [3, 500, 'server']]);
    assert.throws(() => sb.client({ onRequest: 42 }), ConfigError);
    assert.throws(() => sb.client({ onResponse: 'no' }), /onResponse must be a function/);
  });
});
