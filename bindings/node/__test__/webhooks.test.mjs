// Webhook signatures through the installed package: the shared vectors
// (testdata/webhooks.json, computed with Python's hmac) on Buffers and strings.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { ConfigError, DecodeError, VivamoError, WebhookSignatureError, webhooks } from 'vivamo';

const testdata = process.env.VIVAMO_TESTDATA;
const { vectors } = JSON.parse(readFileSync(join(testdata, 'webhooks.json'), 'utf8'));

describe('webhooks', () => {
  test('every shared vector, as a Buffer and as a string', () => {
    assert.ok(vectors.length >= 10);
    for (const v of vectors) {
      for (const payload of [Buffer.from(v.payload, 'utf8'), v.payload]) {
        if (v.valid) {
          webhooks.verify(payload, v.signature, v.secret);
          const event = webhooks.parse(payload, v.signature, v.secret);
          assert.equal(event.type, v.event, v.name);
          assert.deepEqual(event.data, JSON.parse(v.payload), v.name);
          if (event.type === 'payment_result') assert.equal(event.payment.amount, JSON.parse(v.payload).amount);
        } else {
          assert.throws(
            () => webhooks.verify(payload, v.signature, v.secret),
            (e) => e instanceof WebhookSignatureError && e instanceof VivamoError && e.kind === 'webhook_signature'
              && !e.message.includes(v.secret),
            v.name,
          );
          assert.throws(() => webhooks.parse(payload, v.signature, v.secret), WebhookSignatureError, v.name);
        }
      }
    }
  });

  test('sign matches the vectors; odd inputs are errors, not crashes', () => {
    const v = vectors[0];
    assert.equal(webhooks.sign(v.payload, v.secret), v.signature);
    assert.throws(() => webhooks.verify('{}', webhooks.sign('{}', 's'), ''), ConfigError);
    assert.throws(() => webhooks.parse('nope', webhooks.sign('nope', 's'), 's'), DecodeError);
    assert.throws(() => webhooks.verify('{}', '\u0000'.repeat(128), 's'), WebhookSignatureError);
    assert.throws(() => webhooks.verify({}, 'ab', 's'), TypeError);
  });
});
