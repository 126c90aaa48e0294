"""The README's quickstart, runnable against the local sandbox:

    vivamo-sandbox --port 4010 &
    VIVAMO_BASE_URL=http://127.0.0.1:4010 VIVAMO_API_KEY=sk_test_vivamo_sandbox \
    VIVAMO_ENVIRONMENT=sandbox python examples/quickstart.py
"""

import vivamo

# api_key defaults to VIVAMO_API_KEY, environment to VIVAMO_ENVIRONMENT (else "production"),
# base_url to VIVAMO_BASE_URL (else the environment's URL).
with vivamo.Client() as client:
    created = client.customers.create(
        external_customer_id="user_123",
        data={"email": "jane@example.com", "phone": "(415) 555-2671", "firstName": "Jane"},
    )
    print(created.customer.data.phone)  # +14155552671
    for warning in created.warnings:
        print("warning:", warning)

    jane = client.customers.get("user_123")
    print(jane.data.first_name, jane.created_at)  # Jane 2026-... (a datetime)

    moved = client.customers.update("user_123", city="Boston")
    print(moved.data.city)  # Boston

    page = client.customers.list(page=1, size=50)
    print(page.total, page.total_pages)

    for customer in client.customers.list_all(size=100):
        print(customer.external_customer_id)

    try:
        client.customers.get("nobody")
    except vivamo.NotFoundError as e:
        print(e.kind, e.status_code, e.request_id)  # not_found 404 req_...
