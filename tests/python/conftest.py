"""Shared fixtures of the Python binding tests."""
import os
import subprocess

import pytest

import touchpoint as tp

DATA = os.path.join(os.path.dirname(__file__), "..", "data")


@pytest.fixture(scope="session")
def sample():
    """(catalog, events, feedback) of the bundled sample data set."""
    return tp.load_sample()


@pytest.fixture(scope="session")
def cli():
    """Run the C command-line tool on the embedded sample data; returns stdout."""
    exe = os.environ.get("TOUCHPOINT_CLI")
    if not exe:
        pytest.skip("TOUCHPOINT_CLI is not set")

    def run(*args):
        return subprocess.run([exe, *args], check=True, capture_output=True, text=True).stdout
    return run


def data_file(name):
    return os.path.join(DATA, name)
