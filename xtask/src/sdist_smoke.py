"""Run by `cargo xtask ci` in a venv where `pip install vivamo-X.tar.gz` built vivamo from
source: the package imports, is the workspace's version, carries the rule data its build
script compiles in, and builds a client (which sets up TLS)."""

import sys

import vivamo

expected = sys.argv[1]
assert vivamo.__version__ == expected, (vivamo.__version__, expected)

report = vivamo.validate_customer(
    {"email": "someone@mailinator.com", "phone": "+14155552671"},
    environment="production",
    external_customer_id="sdist-smoke",
)
codes = [v.code for v in report.errors]
assert "disposable_email" in codes, codes

with vivamo.Client(api_key="sk_test_sdist", base_url="http://127.0.0.1:9", max_retries=0) as client:
    try:
        client.customers.get("nobody")
    except vivamo.APIConnectionError:
        pass
    else:
        raise AssertionError("a closed port answered")
print(f"sdist build of vivamo {vivamo.__version__} imports, validates and connects")
