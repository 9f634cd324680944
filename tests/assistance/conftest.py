import pytest


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    """Uploaded and generated files go to a per-test directory, never the checkout's var/."""
    settings.JOBCIRCLE_UPLOAD_ROOT = tmp_path / "uploads"
    return settings.JOBCIRCLE_UPLOAD_ROOT
