// Webhook signatures through the installed package: the shared vectors
// (testdata/webhooks.json, computed with Python's hmac) on Buffers and strings.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { inspect } from 'node:util';

import { ConfigError, DecodeError, VivamoError, WebhookSignatureError, WebhookVerifier, webhooks } from 'vivamo';

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

describe('webhooks.Verifier', () => {
  const body = Buffer.from('{"type":"kyc_verification","externalCustomerId":"user_123","status":"approved"}');

  test('reads the signature header of any headers shape, with every secret of a rotation', () => {
    const verifier = new webhooks.Verifier(['whsec_old', 'whsec_new']);
    assert.equal(WebhookVerifier, webhooks.Verifier);
    for (const secret of ['whsec_old', 'whsec_new']) {
      const signature = webhooks.sign(body, secret);
      verifier.verify(body, signature);
      verifier.verifyHeaders(body, { 'content-type': 'application/json', signature });
      verifier.verifyHeaders(body, new Headers({ Signature: signature }));
      verifier.verifyHeaders(body, [['SIGNATURE', signature]]);
      const event = verifier.parseHeaders(body.toString(), { signature: [signature] });
      assert.equal(event.type, 'other');
      assert.equal(event.data.status, 'approved');
    }
    assert.throws(() => verifier.verify(body, webhooks.sign(body, 'whsec_other')), WebhookSignatureError);
    assert.throws(() => verifier.verifyHeaders(body, { 'content-type': 'application/json' }), /no `signature` header/);
    assert.throws(() => verifier.verifyHeaders(body, 42), TypeError);
  });

  test('refuses a large body before hashing, needs a secret, never shows one', () => {
    const verifier = new webhooks.Verifier(['whsec_secret_value'], { maxBodyBytes: 16 });
    assert.throws(() => verifier.verify(body, webhooks.sign(body, 'whsec_secret_value')), /over the 16-byte limit/);
    assert.ok(!inspect(verifier, { showHidden: true, depth: 5 }).includes('whsec_secret_value'));
    assert.ok(!JSON.stringify(verifier).includes('whsec_secret_value'));
    assert.throws(() => new webhooks.Verifier([]), ConfigError);
    assert.throws(() => new webhooks.Verifier(['whsec_a', '']), ConfigError);
    assert.throws(() => new webhooks.Verifier(['whsec_a'], { maxBodyBytes: -1 }), VivamoError);
  });
});
