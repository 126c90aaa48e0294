// A user's test suite, as it would be written: only the `vivamo` package installed, the
// sandbox started in-process from `vivamo/testing`, run with `node --test`.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';

import { EmailAlreadyInUseError, NotFoundError } from 'vivamo';
import { Sandbox } from 'vivamo/testing';

import { kycState, registerMember } from './signup.mjs';

let sandbox;
let vivamo;
before(async () => {
  sandbox = await Sandbox.start();
  vivamo = sandbox.client();
});
beforeEach(() => sandbox.reset());
after(() => sandbox.stop());

test('registerMember normalizes the email', async () => {
  assert.equal(await registerMember(vivamo, 'm1', '  ada@Example.COM '), 'ada@example.com');
  assert.equal((await vivamo.customers.get('m1')).data.email, 'ada@example.com');
});

test('each test starts with no customers', async () => {
  await assert.rejects(vivamo.customers.get('m1'), NotFoundError);
});

test('a taken email is a typed error', async () => {
  await registerMember(vivamo, 'm2', 'grace@example.com');
  await assert.rejects(registerMember(vivamo, 'm3', 'grace@example.com'), EmailAlreadyInUseError);
});

test('kycState follows the review', async () => {
  await registerMember(vivamo, 'm4', 'joan@example.com');
  assert.equal(await kycState(vivamo, 'm4'), 'waiting');
  sandbox.setKyc('m4', 'under_review');
  assert.equal(await kycState(vivamo, 'm4'), 'needs_review');
  await vivamo.customers.approveKyc('m4');
  assert.equal(await kycState(vivamo, 'm4'), 'approved');
});

test('seeded customers are listed', async () => {
  sandbox.seed(25);
  assert.equal((await vivamo.customers.list({ size: 10 })).total, 25);
});
