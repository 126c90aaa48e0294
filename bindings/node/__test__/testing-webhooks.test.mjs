// `vivamo/testing` delivers webhooks: a receiver in the test gets signed events, with Vivamo's
// retries on a short retry unit, and the test reads the delivery log and resends.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';

import { ConfigError, webhooks } from 'vivamo';
import { Sandbox } from 'vivamo/testing';

import { startReceiver, waitFor } from './helpers.mjs';

describe('vivamo/testing webhooks', () => {
  const closers = [];
  after(async () => { for (const close of closers) await close(); });

  test('a failing receiver gets Vivamo\'s retries, then the event', async () => {
    const receiver = await startReceiver([500, 500, 200]);
    closers.push(receiver.close);
    const unitMs = 300;
    const sandbox = await Sandbox.start({ webhookRetryUnitMs: unitMs });
    closers.push(() => sandbox.stop());
    const vivamo = sandbox.client();
    const endpoint = await vivamo.webhooks.register({ url: receiver.url });
    const triggered = sandbox.triggerWebhook('transaction', { amount: '42.00', status: 'success' });
    assert.equal(triggered.deliveries.length, 1);
    await waitFor('three attempts', () => receiver.received.length === 3, 10_000);

    const bodies = new Set(receiver.received.map((r) => r.body));
    const signatures = new Set(receiver.received.map((r) => r.headers.signature));
    assert.equal(bodies.size, 1, 'every attempt sends the same body');
    assert.equal(signatures.size, 1, 'and the same signature');
    const [body] = bodies;
    const [signature] = signatures;
    assert.equal(JSON.parse(body).amount, '42.00');
    webhooks.verify(body, String(signature), endpoint.secretKey);
    const event = webhooks.parse(body, String(signature), endpoint.secretKey);
    assert.equal(event.type, 'payment_result');
    // The n-th retry comes n units after the attempt before: never sooner (a loaded machine
    // may only make it later, so the upper bounds are loose).
    const [t0, t1, t2] = receiver.received.map((r) => r.at);
    const [first, second] = [t1 - t0, t2 - t1];
    assert.ok(first >= 0.9 * unitMs && first < unitMs + 5000, `first retry after ${first} ms`);
    assert.ok(second >= 1.8 * unitMs && second < 2 * unitMs + 5000, `second retry after ${second} ms`);

    await waitFor('the log to say delivered', () => sandbox.webhookDeliveries().at(-1).state === 'delivered');
    const [delivery] = sandbox.webhookDeliveries();
    assert.equal(delivery.id, triggered.deliveries[0]);
    assert.deepEqual(delivery.attempts.map((a) => a.status), [500, 500, 200]);
    assert.equal(delivery.signature, signature);
    const again = sandbox.resendWebhook(delivery.id);
    assert.equal(again.resendOf, delivery.id);
    await waitFor('the resend', () => receiver.received.length === 4);
    assert.equal(receiver.received[3].body, body);
  });

  test('bad arguments are refused by name', async () => {
    const sandbox = await Sandbox.start();
    closers.push(() => sandbox.stop());
    assert.throws(() => sandbox.triggerWebhook(/** @type {any} */ ('payment_made')), /eventType/);
    assert.throws(() => sandbox.triggerWebhook('transaction', /** @type {any} */ (['no'])), ConfigError);
    assert.throws(() => sandbox.resendWebhook('dlv_nobody'), /no delivery/);
    assert.deepEqual(sandbox.webhookDeliveries(), []);
    await assert.rejects(Sandbox.start({ webhookRetryUnitMs: 0 }), /webhookRetryUnitMs/);
  });
});
