// The shared vectors of testdata/validation.json through validateCustomer (the same results
// as the Rust runner, crates/vivamo-rules/tests/vectors.rs), and normalizePhone.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { normalizePhone, validateCustomer, ValidationError, ConfigError, VivamoError } from 'vivamo';

const dir = process.env.VIVAMO_TESTDATA;
assert.ok(dir, 'VIVAMO_TESTDATA must name the testdata directory (cargo xtask test-node sets it)');
const { cases } = JSON.parse(readFileSync(join(dir, 'validation.json'), 'utf8'));

const key = (v) => `${v.field} ${v.code}`;

function sameViolations(actual, expected, what) {
  assert.deepEqual(actual.map(key).sort(), expected.map(key).sort(), what);
  for (const e of expected) {
    if (e.message === undefined) continue;
    const found = actual.find((a) => key(a) === key(e));
    assert.equal(found.message, e.message, `${what}: message of ${key(e)}`);
  }
  for (const a of actual) assert.ok(a.message.length > 0, `${what}: empty message`);
}

describe('validation vectors', () => {
  assert.ok(cases.length >= 100);
  for (const c of cases) {
    test(c.name, () => {
      const report = validateCustomer(c.input, { environment: c.environment, operation: c.operation });
      assert.deepEqual(report.normalized, c.expected.normalized, 'normalized');
      sameViolations(report.errors, c.expected.errors, 'errors');
      sameViolations(report.warnings, c.expected.warnings, 'warnings');
    });
  }
});

describe('validateCustomer input shapes', () => {
  test('a data object alone: no id required, normalized in the same shape', () => {
    const report = validateCustomer({ email: 'jane@example.com', phone: '(415) 555-2671' }, { environment: 'production' });
    assert.deepEqual(report, {
      normalized: { email: 'jane@example.com', phone: '+14155552671' },
      errors: [],
      warnings: [],
    });
  });

  test('a data object alone still gets every data rule', () => {
    const report = validateCustomer({ email: 'x@mailinator.com', phone: '12' });
    assert.deepEqual(report.errors.map(key).sort(), ['data.email disposable_email', 'data.phone invalid_phone']);
    const sandbox = validateCustomer({ email: 'x@mailinator.com' }, { environment: 'sandbox' });
    assert.deepEqual(sandbox.errors, []);
    assert.deepEqual(sandbox.warnings.map(key), ['data.email disposable_email']);
    const missing = validateCustomer({ phone: '+14155552671' });
    assert.deepEqual(missing.errors.map(key), ['data.email missing_field']);
  });

  test('a whole body requires the id', () => {
    const report = validateCustomer({ data: { email: 'jane@example.com' } });
    assert.deepEqual(report.errors.map(key), ['externalCustomerId missing_field']);
  });

  test('bad options and inputs are typed errors', () => {
    assert.throws(() => validateCustomer({ email: 'a@b.co' }, { environment: 'staging' }), ConfigError);
    assert.throws(() => validateCustomer({ email: 'a@b.co' }, { operation: 'delete' }), ConfigError);
    assert.throws(() => validateCustomer({ email: 42 }), ValidationError);
    assert.throws(() => validateCustomer('jane@example.com'), ValidationError);
  });
});

describe('normalizePhone', () => {
  test('E.164 out', () => {
    assert.equal(normalizePhone('(415) 555-2671'), '+14155552671');
    assert.equal(normalizePhone('1 415.555.2671'), '+14155552671');
    assert.equal(normalizePhone('+44 20 7946 0123'), '+442079460123');
  });

  test('a ValidationError naming the field when it cannot', () => {
    let caught;
    try {
      normalizePhone('555-2671');
    } catch (e) {
      caught = e;
    }
    assert.ok(caught instanceof ValidationError);
    assert.ok(caught instanceof VivamoError);
    assert.equal(caught.kind, 'validation');
    assert.deepEqual(caught.violations.map(key), ['data.phone invalid_phone']);
    assert.match(caught.message, /\+14155552671/);
  });
});
