'use strict';
// `vivamo/testing`: the Rust sandbox served inside this process for your tests. The server,
// its reset, seed and KYC control are the addon's (Rust); this file only adds `client()`.

const { Vivamo, __internal } = require('./index.js');

const { native, toVivamoError } = __internal;

/** A local Vivamo on a loopback port: start it with `await Sandbox.start(options)`. */
class Sandbox {
  #native;

  /** @internal Use `Sandbox.start`. */
  constructor(nativeSandbox) {
    if (!(nativeSandbox instanceof native.NativeSandbox)) {
      throw new TypeError('use `await Sandbox.start(options)` to start a sandbox');
    }
    this.#native = nativeSandbox;
    Object.freeze(this);
  }

  /** Starts a sandbox on a free loopback port. */
  static async start(options) {
    try {
      return new Sandbox(await native.startSandbox(options));
    } catch (e) {
      throw toVivamoError(e);
    }
  }

  get url() { return this.#native.url; }
  get apiKey() { return this.#native.apiKey; }
  get apiKeys() { return this.#native.apiKeys; }
  get mode() { return this.#native.mode; }

  /** A `Vivamo` client for this sandbox; `options` override its defaults. */
  client(options) {
    return new Vivamo({
      apiKey: this.apiKey,
      baseUrl: this.url,
      environment: this.mode === 'production' ? 'production' : 'sandbox',
      ...options,
    });
  }

  /** Removes every customer of every operator; returns how many were removed. */
  reset() { return this.#native.reset(); }

  /** Creates `count` valid customers (`{prefix}{n}`) for an operator. */
  seed(count, options) { return this.#native.seed(count, options); }

  /** Sets the customer's latest KYC status (or adds a verification); returns the customer. */
  setKyc(externalCustomerId, status, options) {
    return this.#native.setKyc(externalCustomerId, status, options);
  }

  /** Sends an event to the operator's webhooks; deliveries run in the background. */
  triggerWebhook(eventType, data, options) {
    try { return this.#native.triggerWebhook(eventType, data, options); } catch (e) { throw toVivamoError(e); }
  }

  /** Every webhook delivery so far, oldest first, with each attempt. */
  webhookDeliveries() { return this.#native.webhookDeliveries(); }

  /** Sends a delivery's event again (same body and signature) as a new delivery. */
  resendWebhook(deliveryId) {
    try { return this.#native.resendWebhook(deliveryId); } catch (e) { throw toVivamoError(e); }
  }

  /** Stops the server; in-flight requests finish first. Idempotent. */
  stop() { return this.#native.stop(); }
}

module.exports = { Sandbox };
