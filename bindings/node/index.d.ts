// Types of the `vivamo` package. The data shapes come from native.d.ts, which napi-rs
// generates from the Rust structs; this file declares the JavaScript layer on top of them.

import type {
  CreateCustomerRequest,
  Created,
  Customer,
  CustomerData,
  CustomerFields,
  Ensured,
  KycLinks,
  KycVerification,
  ListAllOptions,
  ListOptions,
  Page,
  PaymentResult,
  RegisteredWebhook,
  RegisterWebhookRequest,
  UpdateWebhookRequest,
  VerificationLinks,
  Violation,
  Webhook,
} from './native';

export type {
  CreateCustomerRequest,
  Created,
  Customer,
  CustomerData,
  CustomerFields,
  Ensured,
  KycLinks,
  KycVerification,
  ListAllOptions,
  ListOptions,
  Page,
  PaymentResult,
  RegisteredWebhook,
  RegisterWebhookRequest,
  UpdateWebhookRequest,
  VerificationLinks,
  Violation,
  Webhook,
};

/** A KYC status; statuses added to the API later arrive as other strings. */
export type KycStatus =
  | 'pending'
  | 'verified'
  | 'verified_manually'
  | 'under_review'
  | 'rejected'
  | 'rejected_manually'
  | 'expired'
  | (string & {});

/** A KYC verification type; only `proof_of_id` exists today. */
export type KycType = 'proof_of_id' | (string & {});

/** A customer's verification as `customers.kycInfo` answers it. */
export interface KycVerificationInfo {
  /** The verification type. */
  type: KycType;
  /** The current status. */
  status: KycStatus;
  /** When the record was last created or refreshed (ISO 8601). */
  verifiedAt: string;
  /**
   * Only while `pending`: the `cs_ki_…` secret (valid 24 hours) your frontend hands to
   * Vivamo's widget. Fetch it each time (an expired one is replaced); never log it.
   */
  clientSecretKey?: string;
  /** @deprecated Legacy links, only while pending: use `clientSecretKey` with the widget. */
  data?: KycLinks;
}

/** The answer of `customers.kycInfo`. */
export interface KycInfo {
  /** Vivamo's id for the request (`x-request-id`); `undefined` when the server sent none. */
  _request_id?: string;
  /** Your identifier for the customer. */
  externalCustomerId: string;
  /** The verification; `null` when KYC is not enabled for your integration. */
  kycVerification: KycVerificationInfo | null;
}

/** A verified webhook delivery: a typed payment result, or any other event as JSON. */
export type WebhookEvent =
  | { type: 'payment_result'; payment: PaymentResult; data: unknown }
  | { type: 'other'; payment?: undefined; data: unknown };

/**
 * Webhook signatures (HMAC-SHA512 of the raw body under the webhook's secret key). A
 * `Buffer` is a `Uint8Array`: pass the body exactly as received. (The endpoint operations are
 * `vivamo.webhooks`, typed `Webhooks`.)
 */
export interface WebhookSignatures {
  /** The signature Vivamo would send for `payload` (lowercase hex), for testing a receiver. */
  sign(payload: Uint8Array | string, secret: string): string;
  /**
   * Throws a `WebhookSignatureError` unless `signature` (the `signature` header; any hex
   * case, surrounding whitespace ignored) matches the raw body, compared in constant time.
   * Pass the body exactly as received, before any JSON parsing.
   */
  verify(payload: Uint8Array | string, signature: string, secret: string): void;
  /** Verifies, then decodes: a payment result is typed, anything else is kept as JSON. */
  parse(payload: Uint8Array | string, signature: string, secret: string): WebhookEvent;
  /**
   * A verifier for a receiver: `new webhooks.Verifier([oldSecret, newSecret], { maxBodyBytes })`,
   * then `verifier.parseHeaders(rawBody, req.headers)`.
   */
  Verifier: typeof WebhookVerifier;
}

/** A request's headers: Node's `req.headers`, a Fetch `Headers` or `Map`, or `[name, value]` pairs. */
export type RequestHeaders =
  | Record<string, string | string[] | undefined>
  | { entries(): Iterable<[string, string]> }
  | ReadonlyArray<readonly [string, string]>;

/**
 * Verifies webhook deliveries against one or more secrets (during a rotation, the old and the
 * new), reading the `signature` header from the request's headers, and refusing a body over
 * `maxBodyBytes` (default 1 MiB) before hashing it. Throws a `ConfigError` for no secret or an
 * empty one.
 */
export class WebhookVerifier {
  constructor(secrets: string[], options?: { maxBodyBytes?: number });
  /** Throws a `WebhookSignatureError` unless `signature` matches under one of the secrets. */
  verify(payload: Uint8Array | string, signature: string): void;
  /** `verify` with the `signature` header found in `headers` (names in any case); a missing header throws too. */
  verifyHeaders(payload: Uint8Array | string, headers: RequestHeaders): void;
  /** Verifies, then decodes the delivery. */
  parse(payload: Uint8Array | string, signature: string): WebhookEvent;
  /** `parse` with the `signature` header found in `headers`. */
  parseHeaders(payload: Uint8Array | string, headers: RequestHeaders): WebhookEvent;
}

/** Webhook signatures: `webhooks.verify(rawBody, req.headers.signature, secret)`. */
export const webhooks: WebhookSignatures;

/** `production` (rules enforced) or `sandbox` (production-only rules give warnings). */
export type Environment = 'production' | 'sandbox';

/** Client-side validation: refuse, warn, or send as given. */
export type Validation = 'strict' | 'warn' | 'off';

/** Options of `new Vivamo(options)`. */
export interface VivamoOptions {
  /** The secret API key; default `process.env.VIVAMO_API_KEY`. */
  apiKey?: string;
  /** Default `process.env.VIVAMO_ENVIRONMENT`, else `production`. */
  environment?: Environment;
  /**
   * Overrides the environment's base URL (`https://`, or `http://` to loopback only); default
   * `process.env.VIVAMO_BASE_URL` when set.
   */
  baseUrl?: string;
  /** Time allowed for one attempt (default 30000). */
  timeoutMs?: number;
  /** Time allowed for a whole call, retries included (default 60000). */
  deadlineMs?: number;
  /** How many times a failed attempt is retried (default 2). */
  maxRetries?: number;
  /** Default `strict` in production, `warn` in the sandbox. */
  validation?: Validation;
  /**
   * A proxy URL (`http://user:password@host:port`, the credentials kept secret); default
   * `HTTPS_PROXY` / `HTTP_PROXY` with `NO_PROXY`.
   */
  proxy?: string;
  /** A PEM file of root certificates trusted besides the built-in ones (a private CA). */
  caBundle?: string;
  /** The most idle connections kept open per host. */
  maxIdleConnections?: number;
  /**
   * How much is logged: `debug` (bodies too, `email` and `phone` masked), `info` (one line per
   * attempt: method, path, status, attempt, elapsed ms, request id, retry decision; never the
   * key), `warn` (failed attempts, `update`'s rule warnings), `error` or `off`. Default
   * `process.env.VIVAMO_LOG`, else `warn`.
   */
  logLevel?: LogLevel;
  /** Where log lines go (default `console`). */
  logger?: Logger;
  /**
   * Your application, appended to the `User-Agent` as `name/version (+url)` so that Vivamo can
   * tell integrations apart: `{ name: 'acme-onboarding', version: '1.4.2' }`. A part that
   * cannot go in a header throws a `ConfigError` naming it.
   */
  appInfo?: AppInfo;
  /** Whether HTTP/2 is used where the server offers it (default `true`); `false` keeps to HTTP/1.1. */
  http2?: boolean;
  /** The retry waits: the first and the cap of the exponential backoff (default 500 and 8000 ms). */
  backoff?: { initialMs: number; maxMs: number };
  /**
   * Called with each failed attempt the client is about to retry (before it waits), e.g. to
   * count 429s. A hook that throws is reported as a process warning; the call goes on.
   */
  onRetry?: (event: RetryEvent) => void;
  /**
   * Called as each attempt is sent (for metrics, or spans built with `@opentelemetry/api`);
   * never told the key, a header's value or a body. A hook that throws is reported as a
   * process warning; the call goes on.
   */
  onRequest?: (event: RequestEvent) => void;
  /** Called as each attempt ends, answered (any status) or not; like `onRequest`. */
  onResponse?: (event: ResponseEvent) => void;
}

/** An attempt about to be sent, as `onRequest` receives it. */
export interface RequestEvent {
  /** The operation (`get_customer`, …; `request` for `vivamo.request`). */
  operation: string;
  /** `GET`, `POST`, … */
  method: string;
  /** The URL path, without the query. */
  path: string;
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number;
}

/** An attempt that ended, answered (any status) or not, as `onResponse` receives it. */
export interface ResponseEvent {
  /** The operation. */
  operation: string;
  /** `GET`, `POST`, … (empty when the attempt timed out before the request was built). */
  method: string;
  /** The URL path, without the query (empty likewise). */
  path: string;
  /** The HTTP status, when a response arrived. */
  status?: number;
  /** How long the attempt took, in milliseconds. */
  elapsedMs: number;
  /** 1 for the first attempt, … */
  attempt: number;
  /** Vivamo's request id, when the response carried one. */
  requestId?: string;
  /** The error kind the attempt ended in, if it failed. */
  error?: ErrorKind;
}

/** A failed attempt the client is about to retry, as `onRetry` receives it. */
export interface RetryEvent {
  /** The operation (`get_customer`, …). */
  operation: string;
  /** The attempt that failed (1 for the first). */
  attempt: number;
  /** The error kind it failed with (`rate_limited`, `server`, `timeout`, …). */
  error: ErrorKind;
  /** Its HTTP status, when a response arrived. */
  status?: number;
  /** The wait before the next attempt, in milliseconds. */
  delayMs: number;
  /** Vivamo's request id of the failed attempt, when sent. */
  requestId?: string;
}

/** The application using the SDK (`VivamoOptions.appInfo`). */
export interface AppInfo {
  /** Its name: letters, digits and `-_.`, as in a package name. */
  name: string;
  /** Its version (`1.4.2`). */
  version?: string;
  /** Where to learn about it (`https://acme.example`). */
  url?: string;
}

/** How much the client logs. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'off';

/** A logger: `console`, or any object with these four methods (pino, winston, …). */
export interface Logger {
  debug(message: string): unknown;
  info(message: string): unknown;
  warn(message: string): unknown;
  error(message: string): unknown;
}

/** Options of one call (its last argument) or of `vivamo.withOptions(options)`. */
export interface RequestOptions {
  /** Time allowed for one attempt, in milliseconds. */
  timeoutMs?: number;
  /** Time allowed for the whole call, retries included, in milliseconds. */
  deadlineMs?: number;
  /** How many times a failed attempt is retried (`0`: never). */
  maxRetries?: number;
  /** Extra headers; `Authorization`, `Content-Type` and `User-Agent` are refused. */
  headers?: Record<string, string>;
  /**
   * JSON fields sent in the request body as given, not validated: for a field the SDK does not
   * know yet. Objects merge into the body key by key, recursively, so
   * `{ data: { nickname: 'Jo' } }` adds `nickname` inside `data`; any other value (`null`
   * included) replaces what the body held. `withOptions` fields and a call's merge the same way.
   */
  extraBody?: Record<string, unknown>;
}

/** What the SDK uses of an `AbortSignal` (any `AbortController().signal` fits). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** Options of one call: `RequestOptions` plus an `AbortSignal`. */
export interface CallOptions extends RequestOptions {
  /** Aborting rejects the call at once with `APIUserAbortError` and stops its request. */
  signal?: AbortSignalLike;
}

/** Every failure of the SDK. The message never contains the API key. */
export class VivamoError extends Error {
  /** The stable category (the same names as in the Rust and Python SDKs). */
  readonly kind: ErrorKind;
  /** The HTTP status, when the API answered. */
  readonly status: number | null;
  /** Vivamo's `errors` entries: each maps a violated constraint to its description. */
  readonly errors: Array<Record<string, string>>;
  /** The client-side violations of a `ValidationError` (empty otherwise). */
  readonly violations: Violation[];
  /** The request id the server sent, for Vivamo's support. */
  readonly requestId: string | null;
  /** The error response's headers (names in lower case), when Vivamo answered with an error status. */
  readonly headers: Record<string, string> | null;
  /**
   * The wait in seconds a `Retry-After` header asked for (capped at 60); `null` when the
   * server sent none, or a negative or unreadable one.
   */
  readonly retryAfter: number | null;
}
/** Vivamo answered with an error status: `status` and `headers` are set. */
export class APIError extends VivamoError {
  readonly status: number;
  readonly headers: Record<string, string>;
}
/** The call's `signal` was aborted; the request was stopped. */
export class APIUserAbortError extends VivamoError {}
// BEGIN GENERATED by `cargo xtask codegen` from ErrorKind (crates/vivamo/src/error.rs): do not edit
/** The `kind` of a `VivamoError`, one per subclass. */
export type ErrorKind =
  | 'validation'
  | 'customer_already_exists'
  | 'email_already_in_use'
  | 'email_domain_not_supported'
  | 'phone_not_mobile'
  | 'bad_request'
  | 'permission_denied'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'server'
  | 'timeout'
  | 'connection'
  | 'decode'
  | 'config'
  | 'kyc_not_under_review'
  | 'kyc_not_attempted'
  | 'webhook_signature'
  | 'abort'
  | 'internal';
/** The customer failed client-side validation; nothing was sent. See `violations`. */
export class ValidationError extends VivamoError {}
/** Any other 400 (or other 4xx) from the API. */
export class BadRequestError extends APIError {}
/**
 * The `externalCustomerId` is already used by your operator (400 `This customer already
 * exists`).
 */
export class CustomerAlreadyExistsError extends BadRequestError {}
/**
 * Another customer has this email address (400 `A customer with this email address already
 * exists.`).
 */
export class EmailAlreadyInUseError extends BadRequestError {}
/**
 * Disposable email provider, refused in production (400 `Sorry, this email domain is not
 * supported`).
 */
export class EmailDomainNotSupportedError extends BadRequestError {}
/** Landline, VOIP or other non-mobile number, refused in production. */
export class PhoneNotMobileError extends BadRequestError {}
/** The API key was refused (401 or 403). */
export class PermissionDeniedError extends APIError {}
/** No customer with this `externalCustomerId` (404). */
export class NotFoundError extends APIError {}
/**
 * The request conflicts with what exists (409): a webhook with the same URL and overlapping
 * event types is already registered.
 */
export class ConflictError extends APIError {}
/** Too many requests (429); retried automatically, honouring `Retry-After`. */
export class RateLimitError extends APIError {}
/** The API failed (5xx); retried automatically. */
export class InternalServerError extends APIError {}
/** The connection failed or broke. */
export class APIConnectionError extends VivamoError {}
/** An attempt, or the whole call, ran out of time. */
export class APITimeoutError extends APIConnectionError {}
/** A response could not be understood (malformed or unexpected body). */
export class DecodeError extends VivamoError {}
/** The client is misconfigured (missing or unusable API key, bad base URL, …). */
export class ConfigError extends VivamoError {}
/** A manual KYC decision on a verification that is not `under_review` (400). */
export class KycNotUnderReviewError extends BadRequestError {}
/** A KYC approval for a customer who never submitted documents (400). */
export class KycNotAttemptedError extends BadRequestError {}
/** A webhook's `signature` header does not match its body and secret (see `webhooks`). */
export class WebhookSignatureError extends VivamoError {}
// END GENERATED

/**
 * What a call's answer said about itself: `await vivamo.customers.get(id).withResponse()`
 * gives it beside the value.
 */
export interface APIResponse {
  /** The HTTP status. */
  readonly status: number;
  /** The response headers (a Fetch `Headers`: `headers.get('x-request-id')`, any case). */
  readonly headers: ResponseHeaders;
  /** Vivamo's id for the request (`x-request-id`), for support and audit trails. */
  readonly requestId: string | null;
  /** How many failed attempts were retried before this answer (`0`: the first attempt). */
  readonly retriesTaken: number;
  /** How long the whole call took, in milliseconds, every attempt and wait included. */
  readonly elapsedMs: number;
}

/** The response headers: a Fetch `Headers` (typed here without the DOM library). */
export interface ResponseHeaders {
  /** The value of `name` (any case), values of a repeated header joined by `, `; `null` if absent. */
  get(name: string): string | null;
  /** Whether the header was sent. */
  has(name: string): boolean;
  /** Each header as `[name, value]`, names in lower case. */
  entries(): IterableIterator<[string, string]>;
  forEach(callback: (value: string, name: string) => void): void;
  [Symbol.iterator](): IterableIterator<[string, string]>;
}

/**
 * What every operation returns: a real `Promise` of the value, which can also give the
 * response it came in.
 */
export class APIPromise<T> extends Promise<T> {
  /** The value and the response: `const { data, response } = await p.withResponse()`. */
  withResponse(): Promise<{ data: T; response: APIResponse }>;
  /** The response alone (status, headers, request id, retries, duration). */
  asResponse(): Promise<APIResponse>;
}

/** The customer operations: `vivamo.customers`. */
export interface Customers {
  // BEGIN GENERATED (Customers) by `cargo xtask codegen` from openapi.yaml (x-vivamo): do not edit
  /** Creates a customer, exactly once. */
  create(request: CreateCustomerRequest, options?: CallOptions): APIPromise<Created>;
  /** Creates the customer, or returns the existing one with the same email. */
  ensure(request: CreateCustomerRequest, options?: CallOptions): APIPromise<Ensured>;
  /** One page of customers. */
  list(listOptions?: ListOptions, options?: CallOptions): APIPromise<Page>;
  /** Fetches a customer by your identifier. */
  get(externalCustomerId: string, options?: CallOptions): APIPromise<Customer>;
  /** Changes the fields given; the others keep their values. */
  update(externalCustomerId: string, data: CustomerFields, options?: CallOptions): APIPromise<Customer>;
  /** The customers whose KYC submission awaits your decision, in creation order. */
  kycForReview(options?: CallOptions): APIPromise<Customer[]>;
  /** The customer's KYC verification, starting one (pending, with a widget secret) if none. */
  kycInfo(externalCustomerId: string, options?: CallOptions): APIPromise<KycInfo>;
  /**
   * Approves a verification under review and gives Vivamo's message; fails with the kind
   * `kyc_not_under_review` or `kyc_not_attempted` when it cannot.
   */
  approveKyc(externalCustomerId: string, type?: KycType, options?: CallOptions): APIPromise<string>;
  /**
   * Rejects a verification under review and gives Vivamo's message; fails with the kind
   * `kyc_not_under_review` when it cannot.
   */
  rejectKyc(externalCustomerId: string, type?: KycType, options?: CallOptions): APIPromise<string>;
  // END GENERATED (Customers)
  /** Every customer, page after page: `for await (const c of vivamo.customers.listAll())`. */
  listAll(listOptions?: ListAllOptions, options?: CallOptions): AsyncGenerator<Customer, void, undefined>;
}

/** Whether a webhook receives events. */
export type WebhookStatus = 'active' | 'inactive';

/** An event type a webhook can subscribe to (a later type arrives as is). */
export type WebhookEventType =
  | 'transaction'
  | 'kyc_verification'
  | 'customer_w9_required'
  | 'customer_w9_completed';

/**
 * The webhook endpoints: `vivamo.webhooks` (the URLs Vivamo POSTs events to). Checking a
 * delivery's signature is the `webhooks` export.
 */
export interface Webhooks {
  // BEGIN GENERATED (Webhooks) by `cargo xtask codegen` from openapi.yaml (x-vivamo): do not edit
  /** Registers a webhook; the answer carries its secret key, shown this once. */
  register(request: RegisterWebhookRequest, options?: CallOptions): APIPromise<RegisteredWebhook>;
  /** Your webhooks, in registration order (without their secrets). */
  list(options?: CallOptions): APIPromise<Webhook[]>;
  /** Changes a webhook's URL, status, event types or headers; the secret never changes. */
  update(webhookId: string, request: UpdateWebhookRequest, options?: CallOptions): APIPromise<Webhook>;
  /** Deletes a webhook; nothing is delivered to it afterwards. Gives Vivamo's message. */
  delete(webhookId: string, options?: CallOptions): APIPromise<string>;
  // END GENERATED (Webhooks)
}

/** What `vivamo.request` sends. */
export interface RawRequestInit {
  /** `GET`, `POST`, `PATCH`, `PUT`, `DELETE`, … (any case). */
  method: string;
  /** The path under the base URL, starting with `/` (`/v1/customers`); no query in it. */
  path: string;
  /** Query parameters. */
  query?: Record<string, string | number | boolean>;
  /** The JSON body, sent as given (no validation). */
  body?: unknown;
  /**
   * Whether sending it twice has the effect of sending it once (default: `true` for `GET`,
   * `HEAD`, `OPTIONS`, `PUT`, `DELETE`; a `POST` or `PATCH` is retried only when the server
   * cannot have applied it: a refused connection, 429, another 4xx).
   */
  idempotent?: boolean;
}

/** A Vivamo API client; one per process is enough (it pools connections). */
export class Vivamo {
  /** Throws a `ConfigError` for a missing or unusable key or base URL. */
  constructor(options?: VivamoOptions);
  /** The customer operations. */
  readonly customers: Customers;
  /** The webhook endpoints: register, list, update and delete where Vivamo POSTs events. */
  readonly webhooks: Webhooks;
  /** The base URL requests go to. */
  readonly baseUrl: string;
  /** The environment whose rules apply. */
  readonly environment: Environment;
  /** The client-side validation setting. */
  readonly validation: Validation;
  /** A client whose calls use `options` over this one's, sharing its connection pool. */
  withOptions(options: RequestOptions): Vivamo;
  /**
   * Any endpoint of the API (`/v1/…`) with this client's key, retries, deadline, logs and
   * typed errors; resolves with the answer's JSON (typed as `T`, unchecked).
   */
  request<T = unknown>(init: RawRequestInit, options?: CallOptions): APIPromise<T>;
  /**
   * Closes the client: later calls through it throw a `ConfigError`; calls already running
   * finish. Idempotent.
   */
  close(): void;
  /** Whether `close()` was called. */
  readonly closed: boolean;
}

/** `(415) 555-2671` → `+14155552671`; throws a `ValidationError` when it cannot. */
export function normalizePhone(phone: string): string;

/** Options of `validateCustomer`. */
export interface ValidateOptions {
  /** Default `production`. */
  environment?: Environment;
  /** Default `create`. */
  operation?: 'create' | 'update';
}

/** The outcome of `validateCustomer`. */
export interface ValidationResult {
  /** What would be sent, always as a whole body (`{ externalCustomerId?, data }`). */
  normalized: CustomerInput;
  /** Findings that block the request in this environment. */
  errors: Violation[];
  /** Findings the sandbox accepts with a warning (empty in production). */
  warnings: Violation[];
}

/** A whole request body, as `validateCustomer` accepts and returns it. */
export interface CustomerInput {
  externalCustomerId?: string;
  data: CustomerFields;
}

/**
 * Runs Vivamo's rules without sending anything. `input` is a whole body
 * (`{ externalCustomerId, data }`) or the data object alone (then no id is required); keys
 * may also be snake_case (`first_name`). An unknown key, or a value that is not a string,
 * throws a `ValidationError` whose `violations` name it (`unknown_field`, `invalid_type`).
 */
export function validateCustomer(
  input: CustomerInput | CustomerFields,
  options?: ValidateOptions,
): ValidationResult;
