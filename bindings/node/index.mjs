// ES module entry point: the same objects as the CommonJS one (`require('vivamo')`).
import vivamo from './index.js';

export const {
  Vivamo,
  normalizePhone,
  validateCustomer,
  webhooks,
  VivamoError,
  ValidationError,
  CustomerAlreadyExistsError,
  EmailAlreadyInUseError,
  EmailDomainNotSupportedError,
  PhoneNotMobileError,
  BadRequestError,
  PermissionDeniedError,
  NotFoundError,
  RateLimitError,
  InternalServerError,
  APITimeoutError,
  APIConnectionError,
  DecodeError,
  ConfigError,
  APIUserAbortError,
  KycNotUnderReviewError,
  KycNotAttemptedError,
  WebhookSignatureError,
} = vivamo;
export default vivamo;
