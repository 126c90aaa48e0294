// KYC against the real sandbox, through the installed package: kycInfo, kycForReview,
// approveKyc, rejectKyc and every refusal as its VivamoError subclass.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { inspect } from 'node:util';

import {
  BadRequestError,
  KycNotAttemptedError,
  KycNotUnderReviewError,
  NotFoundError,
  ValidationError,
  VivamoError,
} from 'vivamo';

import { KEY, rejection, startSandbox } from './helpers.mjs';

describe('kyc', () => {
  let sandbox;
  let vivamo;
  /** Moves a verification with the sandbox's control route. */
  async function force(id, body) {
    const response = await fetch(`${sandbox.url}/__sandbox/customers/${id}/kyc`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(response.status, 200, await response.text());
  }
  before(async () => {
    sandbox = await startSandbox();
    vivamo = sandbox.client();
    for (const id of ['k_ann', 'k_ben', 'k_cat']) {
      await vivamo.customers.create({ externalCustomerId: id, data: { email: `${id}@example.com` } });
    }
  });
  after(() => sandbox.stop());

  test('kycInfo starts a pending verification with a widget secret', async () => {
    const info = await vivamo.customers.kycInfo('k_ann');
    assert.equal(info.externalCustomerId, 'k_ann');
    const v = info.kycVerification;
    assert.equal(v.type, 'proof_of_id');
    assert.equal(v.status, 'pending');
    assert.match(v.verifiedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.match(v.clientSecretKey, /^cs_ki_[0-9a-f]+$/);
    assert.match(v.data.url, /^https:\/\//);
    await force('k_ann', { status: 'verified' });
    const decided = (await vivamo.customers.kycInfo('k_ann')).kycVerification;
    assert.equal(decided.status, 'verified');
    assert.equal(decided.clientSecretKey ?? null, null);
    assert.equal(decided.data ?? null, null);
  });

  test('the review queue, approve and reject', async () => {
    assert.deepEqual(await vivamo.customers.kycForReview(), []);
    await force('k_cat', { status: 'under_review' });
    await force('k_ben', { status: 'under_review' });
    const queue = await vivamo.customers.kycForReview();
    assert.deepEqual(queue.map((c) => c.externalCustomerId), ['k_ben', 'k_cat']);
    assert.equal(queue[0].data.email, 'k_ben@example.com');
    assert.equal(typeof (await vivamo.customers.approveKyc('k_ben')), 'string');
    assert.equal(typeof (await vivamo.customers.rejectKyc('k_cat', 'proof_of_id')), 'string');
    assert.equal((await vivamo.customers.kycInfo('k_ben')).kycVerification.status, 'verified_manually');
    assert.equal((await vivamo.customers.kycInfo('k_cat')).kycVerification.status, 'rejected_manually');
    assert.deepEqual(await vivamo.customers.kycForReview(), []);
  });

  test('refusals are typed errors', async () => {
    await vivamo.customers.create({ externalCustomerId: 'k_dan', data: { email: 'k_dan@example.com' } });
    let e = await rejection(vivamo.customers.approveKyc('k_dan'));
    assert.ok(e instanceof KycNotUnderReviewError && e instanceof VivamoError, inspect(e));
    assert.equal(e.kind, 'kyc_not_under_review');
    assert.equal(e.status, 400);
    await force('k_dan', { status: 'under_review', attempted: false });
    e = await rejection(vivamo.customers.approveKyc('k_dan'));
    assert.ok(e instanceof KycNotAttemptedError && e instanceof BadRequestError, inspect(e));
    assert.equal(e.kind, 'kyc_not_attempted');
    assert.equal(e.status, 400);
    assert.match(e.message, /reject it or wait/);
    e = await rejection(vivamo.customers.rejectKyc('k_dan', 'selfie'));
    assert.ok(e instanceof BadRequestError, inspect(e));
    assert.match(e.message, /type must be one of the following values: proof_of_id/);
    e = await rejection(vivamo.customers.rejectKyc('k_dan', ''));
    assert.ok(e instanceof ValidationError, inspect(e));
    assert.equal(e.violations[0].field, 'type');
    e = await rejection(vivamo.customers.kycInfo('nobody'));
    assert.ok(e instanceof NotFoundError, inspect(e));
    e = await rejection(vivamo.customers.approveKyc('nobody'));
    assert.ok(e instanceof NotFoundError, inspect(e));
    await assert.rejects(vivamo.customers.kycInfo(42), TypeError);
    assert.equal(typeof (await vivamo.customers.rejectKyc('k_dan')), 'string');
  });
});
