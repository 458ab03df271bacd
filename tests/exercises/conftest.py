import pytest


@pytest.fixture(autouse=True)
def _progress_db(tmp_path, monkeypatch):
    # never write to the real ~/.itb-training during tests
    monkeypatch.setenv("ITB_PROGRESS_DB", str(tmp_path / "progress.sqlite"))
