// `vivamo.webhooks`: register, list, update and delete webhook endpoints against the sandbox,
// which then delivers signed events to them (only active ones, only subscribed types).
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';

import { ConflictError, NotFoundError, ValidationError, webhooks } from 'vivamo';
import { Sandbox } from 'vivamo/testing';

import { startReceiver, waitFor } from './helpers.mjs';

describe('vivamo.webhooks', () => {
  const closers = [];
  after(async () => { for (const close of closers) await close(); });

  async function started(options) {
    const sandbox = await Sandbox.start(options);
    closers.push(() => sandbox.stop());
    return sandbox;
  }

  async function receiving() {
    const receiver = await startReceiver();
    closers.push(receiver.close);
    return receiver;
  }

  test('an approval delivers one signed kyc_verification event', async () => {
    const sandbox = await started();
    const vivamo = sandbox.client();
    await vivamo.customers.create({ externalCustomerId: 'kyc_1', data: { email: 'kyc_1@example.com' } });
    sandbox.setKyc('kyc_1', 'under_review');
    const receiver = await receiving();
    const hook = await vivamo.webhooks.register({ url: receiver.url, headers: { 'x-pre-shared-key': 'psk_1' } });
    assert.equal(hook.status, 'active');
    assert.equal(hook.url, receiver.url);
    assert.match(hook.secretKey, /\S{16,}/);
    assert.equal(typeof hook._request_id, 'string');

    await vivamo.customers.approveKyc('kyc_1');
    await waitFor('the delivery', () => receiver.received.length === 1, 10_000);
    const [got] = receiver.received;
    webhooks.verify(got.body, String(got.headers.signature), hook.secretKey);
    assert.equal(got.headers['x-pre-shared-key'], 'psk_1');
    const event = JSON.parse(got.body);
    assert.equal(event.eventType, 'kyc_verification');
    assert.equal(event.externalCustomerId, 'kyc_1');
    assert.equal(event.status, 'verified_manually');
    // Exactly one: the delivery log has one delivery, delivered, and no more are pending.
    await waitFor('the log to say delivered', () => sandbox.webhookDeliveries()[0]?.state === 'delivered');
    assert.equal(sandbox.webhookDeliveries().length, 1);
    assert.equal(receiver.received.length, 1);
  });

  test('inactive webhooks and unsubscribed event types get nothing', async () => {
    const sandbox = await started();
    const vivamo = sandbox.client();
    await vivamo.customers.create({ externalCustomerId: 'kyc_2', data: { email: 'kyc_2@example.com' } });
    sandbox.setKyc('kyc_2', 'under_review');
    const paused = await receiving();
    const payments = await receiving();
    const p = await vivamo.webhooks.register({ url: paused.url });
    const updated = await vivamo.webhooks.update(p.id, { status: 'inactive' });
    assert.equal(updated.status, 'inactive');
    assert.equal(updated.id, p.id);
    const t = await vivamo.webhooks.register({ url: payments.url });
    const subscribed = await vivamo.webhooks.update(t.id, { eventTypes: ['transaction'] });
    assert.deepEqual(subscribed.eventTypes, ['transaction']);

    await vivamo.customers.rejectKyc('kyc_2');
    const triggered = sandbox.triggerWebhook('transaction', { amount: '10.00' });
    // The deliveries are decided when the event happens: one, to the payments webhook.
    assert.equal(triggered.deliveries.length, 1);
    const log = sandbox.webhookDeliveries();
    assert.deepEqual(log.map((d) => [d.webhookId, d.eventType]), [[t.id, 'transaction']]);
    await waitFor('the transaction event', () => payments.received.length === 1, 10_000);
    assert.equal(JSON.parse(payments.received[0].body).transactionType, 'payment');
    assert.equal(paused.received.length, 0);
  });

  test('a duplicate registration is a ConflictError; list, update and delete', async () => {
    const sandbox = await started();
    const vivamo = sandbox.client();
    const url = 'http://127.0.0.1:9/hooks';
    const first = await vivamo.webhooks.register({ url });
    const err = await vivamo.webhooks.register({ url }).then(() => null, (e) => e);
    assert.ok(err instanceof ConflictError, `got ${err}`);
    assert.equal(err.status, 409);
    // Disjoint event types on one URL are allowed; overlapping ones are not.
    await vivamo.webhooks.update(first.id, { eventTypes: ['transaction'] });
    const second = await vivamo.webhooks.register({ url: 'http://127.0.0.1:9/other' });
    await vivamo.webhooks.update(second.id, { url, eventTypes: ['kyc_verification'] });
    await assert.rejects(vivamo.webhooks.update(second.id, { eventTypes: ['transaction'] }), ConflictError);

    const { data: listed, response } = await vivamo.webhooks.list().withResponse();
    assert.equal(response.status, 200);
    assert.deepEqual(listed.map((w) => [w.id, w.eventTypes]), [[first.id, ['transaction']], [second.id, ['kyc_verification']]]);
    assert.ok(listed.every((w) => !('secretKey' in w)), 'a listed webhook has no secret');
    assert.equal(typeof (await vivamo.webhooks.delete(second.id)), 'string');
    assert.equal((await vivamo.webhooks.list()).length, 1);
    await assert.rejects(vivamo.webhooks.delete(second.id), NotFoundError);
    await assert.rejects(vivamo.webhooks.update(first.id, { status: /** @type {any} */ ('paused') }), (e) => e instanceof ValidationError && /status/.test(e.message));
    await assert.rejects(vivamo.webhooks.register({ url: ' ' }), (e) => e instanceof ValidationError && /url/.test(e.message));
  });

  test('webhookDuplicateRate: 1 delivers each event twice', async () => {
    const sandbox = await started({ webhookDuplicateRate: 1 });
    const vivamo = sandbox.client();
    const receiver = await receiving();
    const { secretKey } = await vivamo.webhooks.register({ url: receiver.url });
    const triggered = sandbox.triggerWebhook('transaction');
    assert.equal(triggered.deliveries.length, 2);
    await waitFor('both deliveries', () => receiver.received.length === 2, 10_000);
    const [a, b] = receiver.received;
    assert.equal(a.body, b.body);
    webhooks.verify(b.body, String(b.headers.signature), secretKey);
    assert.deepEqual(sandbox.webhookDeliveries().map((d) => d.duplicate), [false, true]);
    await assert.rejects(Sandbox.start({ webhookDuplicateRate: 2 }), /webhookDuplicateRate/);
  });
});
