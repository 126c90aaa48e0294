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

describe('validateCustomer input vectors (testdata/validate_customer.json)', () => {
  const inputCases = JSON.parse(readFileSync(join(dir, 'validate_customer.json'), 'utf8')).cases;
  assert.ok(inputCases.length >= 20);
  for (const c of inputCases) {
    test(c.name, () => {
      const options = { environment: c.environment, operation: c.operation };
      if (c.rejected) {
        let caught;
        try {
          validateCustomer(c.input, options);
        } catch (e) {
          caught = e;
        }
        assert.ok(caught instanceof ValidationError, `expected a ValidationError, got ${caught}`);
        assert.equal(caught.kind, 'validation');
        sameViolations(caught.violations, c.rejected, 'violations');
        return;
      }
      const report = validateCustomer(c.input, options);
      assert.deepEqual(report.normalized, c.expected.normalized, 'normalized');
      sameViolations(report.errors, c.expected.errors, 'errors');
      sameViolations(report.warnings, c.expected.warnings, 'warnings');
    });
  }

  test('bad options are ConfigErrors', () => {
    assert.throws(() => validateCustomer({ email: 'a@b.co' }, { environment: 'staging' }), ConfigError);
    assert.throws(() => validateCustomer({ email: 'a@b.co' }, { operation: 'delete' }), ConfigError);
  });

  test('the unknown key is named in the message', () => {
    assert.throws(() => validateCustomer({ data: { emial: 'x' } }), /unknown customer field "emial"/);
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
