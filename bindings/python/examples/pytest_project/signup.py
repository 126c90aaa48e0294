"""A user's code: registers a new member with Vivamo, then starts their KYC check.

The test suite in ``tests/`` runs it against the sandbox the ``vivamo`` package ships, through
the ``vivamo_client`` and ``vivamo_sandbox`` pytest fixtures: nothing to install but the
package and pytest.
"""

from typing import Optional

import vivamo


def register_member(client: vivamo.Client, member_id: str, email: str, phone: Optional[str] = None) -> str:
    """Creates (or finds) the member's Vivamo customer; returns the email Vivamo stored."""
    data = {"email": email}
    if phone is not None:
        data["phone"] = phone
    ensured = client.customers.ensure(member_id, data)
    return ensured.customer.data.email


def kyc_state(client: vivamo.Client, member_id: str) -> str:
    """``"approved"``, ``"needs_review"`` or ``"waiting"`` for the member's identity check."""
    info = client.customers.kyc_info(member_id)
    status = info.kyc_verification.status if info.kyc_verification else "pending"
    if status in ("verified", "verified_manually"):
        return "approved"
    if status == "under_review":
        return "needs_review"
    return "waiting"
