// Every customer operation against the real sandbox, through the installed package.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { inspect } from 'node:util';

import { KEY, startSandbox } from './helpers.mjs';

const ISO_MILLIS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('customers', () => {
  let sandbox;
  let vivamo;
  before(async () => {
    sandbox = await startSandbox();
    vivamo = sandbox.client();
  });
  after(() => sandbox.stop());

  test('the client reports its settings and never shows its key', () => {
    assert.equal(vivamo.baseUrl, sandbox.url);
    assert.equal(vivamo.environment, 'sandbox');
    assert.equal(vivamo.validation, 'warn');
    assert.ok(!inspect(vivamo, { showHidden: true, depth: 5 }).includes(KEY));
    assert.ok(!JSON.stringify(vivamo).includes(KEY));
  });

  test('create, get, update, list', async () => {
    const created = await vivamo.customers.create({
      externalCustomerId: 'user_123',
      data: { email: 'jane@example.com', phone: '(415) 555-2671', firstName: 'Jane', country: 'us' },
      verifyAfterCreation: false,
    });
    assert.equal(created.customer.externalCustomerId, 'user_123');
    assert.equal(created.customer.data.email, 'jane@example.com');
    assert.equal(created.customer.data.phone, '+14155552671');
    assert.equal(created.customer.data.firstName, 'Jane');
    assert.equal(created.customer.data.country, 'US');
    assert.deepEqual(created.customer.kycVerifications, []);
    assert.match(created.customer.createdAt, ISO_MILLIS);
    assert.deepEqual(created.warnings, []);
    assert.equal(created.verificationLinks ?? undefined, undefined);

    const { _request_id: fetchedRequestId, ...fetched } = await vivamo.customers.get('user_123');
    assert.deepEqual(fetched, created.customer);
    assert.match(fetchedRequestId, /^req_/);

    const moved = await vivamo.customers.update('user_123', { city: 'Boston' });
    assert.equal(moved.data.city, 'Boston');
    assert.equal(moved.data.email, 'jane@example.com');
    assert.equal((await vivamo.customers.get('user_123')).data.city, 'Boston');

    const page = await vivamo.customers.list({ page: 1, size: 50 });
    assert.equal(page.page, 1);
    assert.equal(page.limit, 50);
    assert.ok(page.total >= 1);
    assert.equal(page.totalPages, Math.ceil(page.total / 50));
    assert.ok(page.customers.some((c) => c.externalCustomerId === 'user_123'));
    const defaults = await vivamo.customers.list();
    assert.equal(defaults.page, 1);
  });

  test('verifyAfterCreation returns the links and a pending KYC record', async () => {
    const created = await vivamo.customers.create({
      externalCustomerId: 'user_kyc',
      data: { email: 'kyc@example.com' },
      verifyAfterCreation: true,
    });
    assert.equal(typeof created.verificationLinks.verificationLink, 'string');
    assert.equal(typeof created.verificationLinks.passportVerificationLink, 'string');
    const [kyc] = created.customer.kycVerifications;
    assert.equal(kyc.type, 'proof_of_id');
    assert.equal(kyc.status, 'pending');
    assert.match(kyc.createdAt, ISO_MILLIS);
  });

  test('the sandbox accepts what production refuses, with warnings', async () => {
    const created = await vivamo.customers.create({
      externalCustomerId: 'user_plus',
      data: { email: 'jane+test@example.com' },
    });
    assert.ok(created.warnings.length >= 1, inspect(created.warnings));
    assert.ok(created.warnings.some((w) => w.includes('data.email')), inspect(created.warnings));
  });

  test('ensure creates once, then returns the existing customer', async () => {
    const request = { externalCustomerId: 'user_ensure', data: { email: 'ensure@example.com' } };
    const first = await vivamo.customers.ensure(request);
    assert.equal(first.created, true);
    assert.deepEqual(first.warnings, []);
    const second = await vivamo.customers.ensure(request);
    assert.equal(second.created, false);
    assert.deepEqual(second.customer, first.customer);
  });

  test('64 concurrent gets', async () => {
    await sandbox.seed(64, 'conc_');
    const wanted = [];
    for await (const customer of vivamo.customers.listAll({ size: 100 })) {
      if (customer.externalCustomerId.startsWith('conc_')) wanted.push(customer.externalCustomerId);
    }
    assert.equal(wanted.length, 64);
    const got = await Promise.all(wanted.map((id) => vivamo.customers.get(id)));
    assert.deepEqual(
      got.map((c) => c.externalCustomerId),
      wanted,
    );
  });
});

describe('listAll', () => {
  let sandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox.stop());

  test('walks 250 customers, each once, in creation order', async () => {
    await sandbox.seed(250, 'walk_');
    const vivamo = sandbox.client();
    const seen = [];
    for await (const customer of vivamo.customers.listAll({ size: 100 })) {
      seen.push(customer.externalCustomerId);
    }
    assert.equal(seen.length, 250);
    assert.equal(new Set(seen).size, 250);
    const page = await vivamo.customers.list({ page: 1, size: 100 });
    assert.deepEqual(seen.slice(0, 100), page.customers.map((c) => c.externalCustomerId));
  });

  test('an early break stops the walk, and the default size works', async () => {
    const vivamo = sandbox.client();
    let n = 0;
    for await (const customer of vivamo.customers.listAll()) {
      assert.equal(typeof customer.data.email, 'string');
      if (++n === 3) break;
    }
    assert.equal(n, 3);
  });
});
