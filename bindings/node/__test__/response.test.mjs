// `.withResponse()` / `.asResponse()`: every operation's answer with its status, headers,
// request id, retries and duration, against the sandbox binary.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { APIPromise, CustomerAlreadyExistsError, NotFoundError } from 'vivamo';

import { KEY, rejection, startSandbox } from './helpers.mjs';

describe('withResponse', () => {
  let sb;
  let limited;
  before(async () => {
    sb = await startSandbox();
    limited = await startSandbox(['--rate-limit', '1']);
  });
  after(async () => {
    await sb.stop();
    await limited.stop();
  });

  test('an operation returns a real Promise that also gives its response', async () => {
    const vivamo = sb.client();
    const pending = vivamo.customers.create({ externalCustomerId: 'wr_1', data: { email: 'wr1@example.com' } });
    assert.ok(pending instanceof Promise);
    assert.ok(pending instanceof APIPromise);
    const { data, response } = await pending.withResponse();
    assert.equal(data.customer.externalCustomerId, 'wr_1');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('Content-Type'), /^application\/json/);
    assert.equal(typeof response.requestId, 'string');
    assert.equal(response.headers.get('x-request-id'), response.requestId);
    assert.equal(data._request_id, response.requestId);
    assert.equal(response.retriesTaken, 0);
    assert.ok(response.elapsedMs > 0);

    // Plain await, then, Promise.all, and asResponse, on the other operations.
    const customer = await vivamo.customers.get('wr_1');
    assert.equal(customer.externalCustomerId, 'wr_1');
    const [page] = await Promise.all([vivamo.customers.list({ size: 5 })]);
    assert.ok(Array.isArray(page.customers));
    assert.equal(await vivamo.customers.get('wr_1').then((c) => c.data.email), 'wr1@example.com');
    const got = await vivamo.customers.get('wr_1').asResponse();
    assert.equal(got.status, 200);
    assert.notEqual(got.requestId, response.requestId);
    const updated = await vivamo.customers.update('wr_1', { firstName: 'Wren' }).withResponse();
    assert.equal(updated.data.data.firstName, 'Wren');
    assert.equal((await vivamo.customers.ensure({ externalCustomerId: 'wr_1', data: { email: 'wr1@example.com' } }).asResponse()).status, 200);
    assert.equal((await vivamo.customers.kycInfo('wr_1').withResponse()).response.status, 200);

    // Results without `_request_id` (a list, a message) get it from the response.
    const queue = await vivamo.customers.kycForReview().withResponse();
    assert.ok(Array.isArray(queue.data));
    assert.equal(typeof queue.response.requestId, 'string');
    const force = await fetch(`${sb.url}/__sandbox/customers/wr_1/kyc`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'under_review' }),
    });
    assert.equal(force.status, 200, await force.text());
    const approved = await vivamo.customers.approveKyc('wr_1').withResponse();
    assert.equal(typeof approved.data, 'string');
    assert.equal(typeof approved.response.requestId, 'string');

    // Any endpoint too.
    const raw = await vivamo.request({ method: 'GET', path: '/v1/customers/wr_1' }).withResponse();
    assert.equal(/** @type {any} */ (raw.data).externalCustomerId, 'wr_1');
    assert.equal(raw.response.status, 200);
  });

  test('a failure rejects every form with the typed error', async () => {
    const vivamo = sb.client();
    assert.ok((await rejection(vivamo.customers.get('nobody').withResponse())) instanceof NotFoundError);
    assert.ok((await rejection(vivamo.customers.get('nobody').asResponse())) instanceof NotFoundError);
    assert.ok((await rejection(vivamo.customers.get('nobody'))) instanceof NotFoundError);
    const twice = { externalCustomerId: 'wr_twice', data: { email: 'wrtwice@example.com' } };
    await vivamo.customers.create(twice);
    const again = vivamo.customers.create(twice).withResponse();
    assert.ok((await rejection(again)) instanceof CustomerAlreadyExistsError);
  });

  test('retriesTaken counts the retries', async () => {
    const vivamo = limited.client({ maxRetries: 2 });
    await vivamo.customers.list();
    const { response } = await vivamo.customers.list().withResponse();
    assert.equal(response.retriesTaken, 1, 'the second call in a second gets a 429, then waits');
    assert.ok(response.elapsedMs > 100);
  });
});
