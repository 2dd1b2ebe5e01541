"""Every data set test gets its own empty data folder, so none touches a user's cache."""

import pytest


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("MMTUTOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
