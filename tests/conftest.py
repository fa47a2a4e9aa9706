"""Test configuration: Hypothesis profiles and the ``slow`` marker.

Profiles
--------
``ci``  — deterministic (derandomized), bounded number of examples, no deadline;
          chosen automatically when the environment variable ``CI`` is ``true``.
``dev`` — more examples, random seeds, for local work.
Choose explicitly with ``HYPOTHESIS_PROFILE=dev`` (or ``ci``).

Slow sweeps are marked ``@pytest.mark.slow`` and run only with ``pytest --runslow``.
"""

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=25,
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "dev",
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
_default = "ci" if os.environ.get("CI", "").lower() == "true" else "dev"
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", _default))


def pytest_addoption(parser):
    parser.addoption("--runslow", action="store_true", default=False, help="run tests marked slow")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--runslow"):
        return
    skip_slow = pytest.mark.skip(reason="slow sweep: run with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip_slow)
