// A user's code: registers a new member with Vivamo and reads the state of their KYC check.
// Its tests (signup.test.mjs) run it against the sandbox the package ships (`vivamo/testing`).

/** Creates (or finds) the member's Vivamo customer; returns the email Vivamo stored. */
export async function registerMember(vivamo, memberId, email) {
  const { customer } = await vivamo.customers.ensure({ externalCustomerId: memberId, data: { email } });
  return customer.data.email;
}

/** `approved`, `needs_review` or `waiting` for the member's identity check. */
export async function kycState(vivamo, memberId) {
  const info = await vivamo.customers.kycInfo(memberId);
  const status = info.kycVerification?.status ?? 'pending';
  if (status === 'verified' || status === 'verified_manually') return 'approved';
  if (status === 'under_review') return 'needs_review';
  return 'waiting';
}
