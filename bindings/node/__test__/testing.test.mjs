// `vivamo/testing`: the sandbox served inside this process, through the installed package.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';

import {
  APIConnectionError,
  ConfigError,
  InternalServerError,
  KycNotAttemptedError,
  RateLimitError,
  Vivamo,
} from 'vivamo';
import { Sandbox } from 'vivamo/testing';

describe('vivamo/testing', () => {
  test('require() and import give the same class', () => {
    const require = createRequire(import.meta.url);
    assert.equal(require('vivamo/testing').Sandbox, Sandbox);
  });

  test('start, defaults and a client', async () => {
    const sandbox = await Sandbox.start();
    try {
      assert.match(sandbox.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(sandbox.apiKey, 'sk_test_vivamo_sandbox');
      assert.deepEqual(sandbox.apiKeys, [sandbox.apiKey]);
      assert.equal(sandbox.mode, 'test');
      const vivamo = sandbox.client();
      assert.ok(vivamo instanceof Vivamo);
      assert.equal(vivamo.baseUrl, sandbox.url);
      assert.equal(vivamo.environment, 'sandbox');
      await vivamo.customers.create({ externalCustomerId: 'u1', data: { email: 'ada@example.com' } });
      assert.equal((await vivamo.customers.get('u1')).data.email, 'ada@example.com');
    } finally {
      await sandbox.stop();
    }
  });

  test('reset, seed and setKyc', async () => {
    const sandbox = await Sandbox.start({ apiKeys: ['sk_a', 'sk_b'] });
    try {
      const vivamo = sandbox.client();
      assert.deepEqual(sandbox.seed(3, { prefix: 's_' }), {
        created: 3,
        total: 3,
        firstExternalCustomerId: 's_0',
        lastExternalCustomerId: 's_2',
      });
      sandbox.seed(2, { apiKey: 'sk_b' });
      assert.equal((await vivamo.customers.list()).total, 3);
      assert.equal((await sandbox.client({ apiKey: 'sk_b' }).customers.list()).total, 2);
      const customer = sandbox.setKyc('s_2', 'under_review');
      assert.deepEqual(customer.kycVerifications.map((k) => k.status), ['under_review']);
      assert.deepEqual((await vivamo.customers.kycForReview()).map((c) => c.externalCustomerId), ['s_2']);
      sandbox.setKyc('s_1', 'under_review', { attempted: false });
      await assert.rejects(vivamo.customers.approveKyc('s_1'), KycNotAttemptedError);
      assert.throws(() => sandbox.setKyc('missing', 'verified'), /missing.*not found/);
      assert.throws(() => sandbox.seed(1, { apiKey: 'sk_c' }), /unknown API key/);
      assert.equal(sandbox.reset(), 5);
      assert.equal((await vivamo.customers.list()).total, 0);
    } finally {
      await sandbox.stop();
    }
  });

  test('production mode, faults and rate limit', async () => {
    const failing = await Sandbox.start({ mode: 'production', failRate: 1, seed: 7 });
    try {
      assert.equal(failing.mode, 'production');
      const vivamo = failing.client({ maxRetries: 0 });
      assert.equal(vivamo.environment, 'production');
      await assert.rejects(vivamo.customers.list(), InternalServerError);
    } finally {
      await failing.stop();
    }
    const limited = await Sandbox.start({ rateLimit: 1, latencyMs: 1, lostResponseRate: 0 });
    try {
      const vivamo = limited.client({ maxRetries: 0 });
      const results = await Promise.allSettled(Array.from({ length: 20 }, () => vivamo.customers.list()));
      assert.ok(results.some((r) => r.status === 'rejected' && r.reason instanceof RateLimitError));
    } finally {
      await limited.stop();
    }
  });

  test('bad options reject with ConfigError', async () => {
    await assert.rejects(Sandbox.start({ mode: 'staging' }), ConfigError);
    await assert.rejects(Sandbox.start({ failRate: 2 }), ConfigError);
    assert.throws(() => new Sandbox({}), TypeError);
  });

  test('stop is idempotent and stops the server', async () => {
    const sandbox = await Sandbox.start();
    const vivamo = sandbox.client({ maxRetries: 0 });
    await vivamo.customers.list();
    await sandbox.stop();
    await sandbox.stop();
    await assert.rejects(vivamo.customers.list(), APIConnectionError);
  });
});
