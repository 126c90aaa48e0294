// Types of the `vivamo` package. The data shapes come from native.d.ts, which napi-rs
// generates from the Rust structs; this file declares the JavaScript layer on top of them.

import type {
  Created,
  CreateCustomerRequest,
  Customer,
  CustomerData,
  CustomerFields,
  Ensured,
  KycVerification,
  ListAllOptions,
  ListOptions,
  Page,
  VerificationLinks,
  Violation,
} from './native';

export type {
  Created,
  CreateCustomerRequest,
  Customer,
  CustomerData,
  CustomerFields,
  Ensured,
  KycVerification,
  ListAllOptions,
  ListOptions,
  Page,
  VerificationLinks,
  Violation,
};

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
  | 'rate_limited'
  | 'server'
  | 'timeout'
  | 'connection'
  | 'decode'
  | 'config'
  | 'abort'
  | 'internal';

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
}
/** The customer failed client-side validation; nothing was sent. */
export class ValidationError extends VivamoError {}
/** The `externalCustomerId` is already used by your operator. */
export class CustomerAlreadyExistsError extends VivamoError {}
/** Another customer has this email address. */
export class EmailAlreadyInUseError extends VivamoError {}
/** Disposable email domain, refused in production. */
export class EmailDomainNotSupportedError extends VivamoError {}
/** Not a mobile number, refused in production. */
export class PhoneNotMobileError extends VivamoError {}
/** Any other 4xx from the API. */
export class BadRequestError extends VivamoError {}
/** The API key was refused (403). */
export class PermissionDeniedError extends VivamoError {}
/** No customer with this `externalCustomerId` (404). */
export class NotFoundError extends VivamoError {}
/** Too many requests (429), even after retrying. */
export class RateLimitError extends VivamoError {}
/** The API failed (5xx), even after retrying. */
export class InternalServerError extends VivamoError {}
/** An attempt, or the whole call, ran out of time. */
export class APITimeoutError extends VivamoError {}
/** The connection failed or broke. */
export class APIConnectionError extends VivamoError {}
/** A response could not be understood. */
export class DecodeError extends VivamoError {}
/** The client is misconfigured (missing or unusable key, bad base URL, bad option). */
export class ConfigError extends VivamoError {}
/** The call's `signal` was aborted; the request was stopped. */
export class APIUserAbortError extends VivamoError {}

/** The customer operations: `vivamo.customers`. */
export interface Customers {
  /** Creates a customer, exactly once (validated first, per the `validation` option). */
  create(request: CreateCustomerRequest, options?: CallOptions): Promise<Created>;
  /** Creates the customer, or returns the existing one with the same id and email. */
  ensure(request: CreateCustomerRequest, options?: CallOptions): Promise<Ensured>;
  /** Fetches a customer by your identifier. */
  get(externalCustomerId: string, options?: CallOptions): Promise<Customer>;
  /** Changes the given fields and returns the updated record. */
  update(externalCustomerId: string, data: CustomerFields, options?: CallOptions): Promise<Customer>;
  /** One page of customers. */
  list(listOptions?: ListOptions, options?: CallOptions): Promise<Page>;
  /** Every customer, page after page: `for await (const c of vivamo.customers.listAll())`. */
  listAll(listOptions?: ListAllOptions, options?: CallOptions): AsyncGenerator<Customer, void, undefined>;
}

/** A Vivamo API client; one per process is enough (it pools connections). */
export class Vivamo {
  /** Throws a `ConfigError` for a missing or unusable key or base URL. */
  constructor(options?: VivamoOptions);
  /** The customer operations. */
  readonly customers: Customers;
  /** The base URL requests go to. */
  readonly baseUrl: string;
  /** The environment whose rules apply. */
  readonly environment: Environment;
  /** The client-side validation setting. */
  readonly validation: Validation;
  /** A client whose calls use `options` over this one's, sharing its connection pool. */
  withOptions(options: RequestOptions): Vivamo;
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
export interface ValidationResult<T> {
  /** What would be sent, in the shape of the input. */
  normalized: T;
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
 * (`{ externalCustomerId, data }`) or the data object alone (then no id is required).
 */
export function validateCustomer(
  input: CustomerInput,
  options?: ValidateOptions,
): ValidationResult<CustomerInput>;
export function validateCustomer(
  input: CustomerFields,
  options?: ValidateOptions,
): ValidationResult<CustomerFields>;
