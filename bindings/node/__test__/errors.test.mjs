// One test per error class, each provoked for real against the sandbox (or a closed port).
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { inspect } from 'node:util';

import {
  APIConnectionError,
  APIError,
  APIUserAbortError,
  DecodeError,
  KycNotAttemptedError,
  KycNotUnderReviewError,
  WebhookSignatureError,
  APITimeoutError,
  BadRequestError,
  ConfigError,
  CustomerAlreadyExistsError,
  EmailAlreadyInUseError,
  EmailDomainNotSupportedError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  PhoneNotMobileError,
  RateLimitError,
  ValidationError,
  Vivamo,
  VivamoError,
} from 'vivamo';

import { assertKeyAbsent, KEY, rejection, startSandbox } from './helpers.mjs';

const seen = [];

test('the hierarchy: Stainless-style bases, one class per kind', () => {
  const extendsClass = (child, parent) => child.prototype instanceof parent;
  for (const cls of [BadRequestError, PermissionDeniedError, NotFoundError, RateLimitError, InternalServerError]) {
    assert.ok(extendsClass(cls, APIError), cls.name);
  }
  for (const cls of [CustomerAlreadyExistsError, EmailAlreadyInUseError, EmailDomainNotSupportedError,
    PhoneNotMobileError, KycNotUnderReviewError, KycNotAttemptedError]) {
    assert.ok(extendsClass(cls, BadRequestError), cls.name);
  }
  assert.ok(extendsClass(APITimeoutError, APIConnectionError));
  assert.ok(!extendsClass(APIConnectionError, APIError));
  for (const cls of [APIError, APIConnectionError, ValidationError, DecodeError, ConfigError,
    WebhookSignatureError, APIUserAbortError]) {
    assert.ok(extendsClass(cls, VivamoError), cls.name);
  }
  assert.ok(extendsClass(VivamoError, Error));
});

/** Asserts `e` is a `cls` of `kind` (and a VivamoError and an Error), and records it. */
function expectError(e, cls, kind, status) {
  assert.ok(e instanceof cls, `expected ${cls.name}, got ${inspect(e)}`);
  assert.ok(e instanceof VivamoError);
  assert.ok(e instanceof Error);
  assert.equal(e.name, cls.name);
  assert.equal(e.kind, kind);
  assert.equal(e.status, status);
  assert.equal(typeof e.message, 'string');
  assert.ok(e.message.length > 0);
  assert.ok(Array.isArray(e.errors));
  assert.ok(Array.isArray(e.violations));
  seen.push(e);
  return e;
}

after(() => assertKeyAbsent(seen));

describe('test-mode sandbox', () => {
  let sandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox.stop());

  test('close(): later calls reject with a ConfigError, the settings stay readable', async () => {
    const vivamo = sandbox.client();
    await vivamo.customers.list();
    const running = vivamo.customers.list();
    vivamo.close();
    vivamo.close();
    assert.equal(vivamo.closed, true);
    await running;
    expectError(await rejection(vivamo.customers.get('x')), ConfigError, 'config', null);
    assert.throws(() => vivamo.withOptions({ maxRetries: 0 }), ConfigError);
    assert.equal(typeof vivamo.baseUrl, 'string');
  });

  test('NotFoundError', async () => {
    const e = await rejection(sandbox.client().customers.get('nobody'));
    expectError(e, NotFoundError, 'not_found', 404);
    assert.match(e.requestId, /\S/);
    assert.equal(e.headers['x-request-id'], e.requestId);
    assert.equal(e.retryAfter, null);
  });

  test('CustomerAlreadyExistsError and EmailAlreadyInUseError', async () => {
    const vivamo = sandbox.client();
    await vivamo.customers.create({ externalCustomerId: 'dup', data: { email: 'dup@example.com' } });
    expectError(
      await rejection(
        vivamo.customers.create({ externalCustomerId: 'dup', data: { email: 'other@example.com' } }),
      ),
      CustomerAlreadyExistsError,
      'customer_already_exists',
      400,
    );
    expectError(
      await rejection(
        vivamo.customers.create({ externalCustomerId: 'dup2', data: { email: 'dup@example.com' } }),
      ),
      EmailAlreadyInUseError,
      'email_already_in_use',
      400,
    );
    // ensure: the same id with a different email is still a duplicate.
    expectError(
      await rejection(
        vivamo.customers.ensure({ externalCustomerId: 'dup', data: { email: 'third@example.com' } }),
      ),
      CustomerAlreadyExistsError,
      'customer_already_exists',
      400,
    );
  });

  test('ValidationError: client-side, every violation, nothing sent', async () => {
    const vivamo = sandbox.client({ validation: 'strict' });
    const e = expectError(
      await rejection(
        vivamo.customers.create({ externalCustomerId: 'bad', data: { email: 'not-an-email', phone: '12' } }),
      ),
      ValidationError,
      'validation',
      null,
    );
    const fields = e.violations.map((v) => `${v.field}:${v.code}`).sort();
    assert.deepEqual(fields, ['data.email:invalid_email', 'data.phone:invalid_phone']);
    assert.ok(e.violations.every((v) => v.message.length > 0));
    expectError(await rejection(vivamo.customers.get('bad')), NotFoundError, 'not_found', 404);
    // Missing id and email are named too, in any mode that validates.
    const missing = expectError(
      await rejection(vivamo.customers.create({})),
      ValidationError,
      'validation',
      null,
    );
    assert.deepEqual(
      missing.violations.map((v) => v.field).sort(),
      ['data.email', 'externalCustomerId'],
    );
    expectError(await rejection(vivamo.customers.get('  ')), ValidationError, 'validation', null);
    expectError(await rejection(vivamo.customers.list({ page: 0 })), ValidationError, 'validation', null);
    expectError(await rejection(vivamo.customers.list({ size: 1.5 })), ValidationError, 'validation', null);
    expectError(
      await rejection(vivamo.customers.update('dup', { email: 'nope' })),
      ValidationError,
      'validation',
      null,
    );
  });

  test('PermissionDeniedError for a key the API does not know', async () => {
    const wrongKey = 'sk_test_wrong_key_Yh72Kd';
    const vivamo = sandbox.client({ apiKey: wrongKey });
    const e = expectError(await rejection(vivamo.customers.get('x')), PermissionDeniedError, 'permission_denied', 403);
    assertKeyAbsent([e], wrongKey);
  });

  test('an unknown key in data is a ValidationError naming it, not dropped', async () => {
    const vivamo = sandbox.client();
    const e = expectError(
      await rejection(
        vivamo.customers.create({ externalCustomerId: 'typo', data: { email: 'typo@example.com', frstName: 'Jo', emial: 'x' } }),
      ),
      ValidationError,
      'validation',
      null,
    );
    assert.deepEqual(e.violations.map((v) => `${v.field}:${v.code}`), ['data.frstName:unknown_field', 'data.emial:unknown_field']);
    assert.match(e.violations[0].message, /unknown customer field "frstName": use one of email, phone, firstName/);
    expectError(await rejection(vivamo.customers.get('typo')), NotFoundError, 'not_found', 404);
    expectError(
      await rejection(vivamo.customers.update('typo', { cty: 'Boston' })),
      ValidationError,
      'validation',
      null,
    );
    // snake_case keys are the same fields, as in validateCustomer and Python.
    const created = await vivamo.customers.create({ externalCustomerId: 'snake', data: { email: 'snake@example.com', first_name: 'Sam' } });
    assert.equal(created.customer.data.firstName, 'Sam');
    assert.equal((await vivamo.customers.update('snake', { last_name: 'Lee' })).data.lastName, 'Lee');
  });

  test('wrong argument types are TypeErrors naming the field', async () => {
    const vivamo = sandbox.client();
    const e = await rejection(vivamo.customers.create({ externalCustomerId: 'x', data: { email: 42 } }));
    assert.ok(e instanceof TypeError, inspect(e));
    assert.match(e.message, /CustomerFields\.email/);
    const id = await rejection(vivamo.customers.get(42));
    assert.ok(id instanceof TypeError, inspect(id));
  });
});

describe('production-mode sandbox, validation off: the API\'s own 400s', () => {
  let sandbox;
  let vivamo;
  before(async () => {
    sandbox = await startSandbox(['--mode', 'production']);
    vivamo = sandbox.client({ environment: 'production', validation: 'off' });
  });
  after(() => sandbox.stop());

  test('EmailDomainNotSupportedError', async () => {
    expectError(
      await rejection(vivamo.customers.create({ externalCustomerId: 'd1', data: { email: 'x@mailinator.com' } })),
      EmailDomainNotSupportedError,
      'email_domain_not_supported',
      400,
    );
  });

  test('PhoneNotMobileError', async () => {
    expectError(
      await rejection(
        vivamo.customers.create({
          externalCustomerId: 'p1',
          data: { email: 'p1@example.com', phone: '+18005550199' },
        }),
      ),
      PhoneNotMobileError,
      'phone_not_mobile',
      400,
    );
  });

  test('BadRequestError', async () => {
    const e = expectError(
      await rejection(vivamo.customers.create({ externalCustomerId: 'b1', data: { email: 'not-an-email' } })),
      BadRequestError,
      'bad_request',
      400,
    );
    assert.ok(e.errors.length >= 1, inspect(e.errors));
  });

  test('strict validation catches the same customers before sending', async () => {
    const strict = sandbox.client({ environment: 'production' });
    assert.equal(strict.validation, 'strict');
    const e = expectError(
      await rejection(strict.customers.create({ externalCustomerId: 'd2', data: { email: 'x@mailinator.com' } })),
      ValidationError,
      'validation',
      null,
    );
    assert.deepEqual(e.violations.map((v) => v.code), ['disposable_email']);
  });
});

describe('faults', () => {
  test('InternalServerError (--fail-rate 1)', async () => {
    const sandbox = await startSandbox(['--fail-rate', '1']);
    try {
      const vivamo = sandbox.client({ maxRetries: 0 });
      expectError(await rejection(vivamo.customers.get('x')), InternalServerError, 'server', 500);
    } finally {
      await sandbox.stop();
    }
  });

  test('APITimeoutError (--latency-ms and a short timeout)', async () => {
    const sandbox = await startSandbox(['--latency-ms', '2000']);
    try {
      const vivamo = sandbox.client({ maxRetries: 0, timeoutMs: 150 });
      expectError(await rejection(vivamo.customers.get('x')), APITimeoutError, 'timeout', null);
      const deadline = sandbox.client({ timeoutMs: 10000, deadlineMs: 200 });
      expectError(await rejection(deadline.customers.get('x')), APITimeoutError, 'timeout', null);
    } finally {
      await sandbox.stop();
    }
  });

  test('RateLimitError (--rate-limit 1, maxRetries 0)', async () => {
    const sandbox = await startSandbox(['--rate-limit', '1']);
    try {
      const vivamo = sandbox.client({ maxRetries: 0 });
      const results = await Promise.allSettled([1, 2, 3, 4].map(() => vivamo.customers.list()));
      const limited = results.filter((r) => r.status === 'rejected').map((r) => r.reason);
      assert.ok(limited.length >= 1, 'expected at least one 429');
      for (const e of limited) {
        expectError(e, RateLimitError, 'rate_limited', 429);
        assert.ok(e instanceof APIError);
        // The sandbox sends `Retry-After: 1`: seconds, as a number.
        assert.equal(e.retryAfter, 1);
        assert.equal(e.headers['retry-after'], '1');
      }
    } finally {
      await sandbox.stop();
    }
  });

  test('APIConnectionError (a closed port)', async () => {
    const server = net.createServer();
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address();
    await new Promise((resolve) => server.close(resolve));
    const vivamo = new Vivamo({ apiKey: KEY, baseUrl: `http://127.0.0.1:${port}`, maxRetries: 0 });
    const e = expectError(await rejection(vivamo.customers.get('x')), APIConnectionError, 'connection', null);
    assert.equal(e.headers, null);
  });
});

describe('ConfigError from the constructor', () => {
  test('no key at all', () => {
    const saved = process.env.VIVAMO_API_KEY;
    delete process.env.VIVAMO_API_KEY;
    try {
      assert.throws(() => new Vivamo(), ConfigError);
      let caught;
      try {
        new Vivamo({ environment: 'sandbox' });
      } catch (err) {
        caught = err;
      }
      expectError(caught, ConfigError, 'config', null);
      assert.match(caught.message, /VIVAMO_API_KEY/);
    } finally {
      if (saved !== undefined) process.env.VIVAMO_API_KEY = saved;
    }
  });

  test('the key defaults to process.env.VIVAMO_API_KEY', async () => {
    const sandbox = await startSandbox();
    process.env.VIVAMO_API_KEY = KEY;
    try {
      const vivamo = new Vivamo({ environment: 'sandbox', baseUrl: sandbox.url });
      expectError(await rejection(vivamo.customers.get('nobody')), NotFoundError, 'not_found', 404);
    } finally {
      delete process.env.VIVAMO_API_KEY;
      await sandbox.stop();
    }
  });

  test('an invalid VIVAMO_ENVIRONMENT is a ConfigError naming the variable', () => {
    process.env.VIVAMO_ENVIRONMENT = 'prod';
    try {
      let caught;
      try {
        new Vivamo({ apiKey: KEY });
      } catch (err) {
        caught = err;
      }
      expectError(caught, ConfigError, 'config', null);
      assert.match(caught.message, /VIVAMO_ENVIRONMENT/);
      assert.match(caught.message, /production/);
      // An explicit environment wins over the variable.
      assert.equal(new Vivamo({ apiKey: KEY, environment: 'sandbox' }).environment, 'sandbox');
    } finally {
      delete process.env.VIVAMO_ENVIRONMENT;
    }
  });

  for (const [what, options, pattern] of [
    ['plain http to a non-loopback host', { baseUrl: 'http://api.vivamo.co' }, /plain HTTP/],
    ['a publishable key', { apiKey: 'pk_test_abc' }, /publishable/],
    ['an unknown environment', { environment: 'staging' }, /environment/],
    ['an unknown validation', { validation: 'loose' }, /validation/],
    ['a negative timeout', { timeoutMs: -1 }, /timeoutMs/],
    ['a fractional maxRetries', { maxRetries: 1.5 }, /maxRetries/],
    ['a key with a newline', { apiKey: 'sk_test_a\nb' }, /API key/],
  ]) {
    test(what, () => {
      let caught;
      try {
        new Vivamo({ apiKey: KEY, ...options });
      } catch (err) {
        caught = err;
      }
      expectError(caught, ConfigError, 'config', null);
      assert.match(caught.message, pattern);
    });
  }
});
