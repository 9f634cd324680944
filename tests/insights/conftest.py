import pytest


@pytest.fixture(autouse=True)
def one_month_of_work_counts(settings):
    """The test county's workers have worked 1 month this year (any month of the year the tests run in):
    count them in 务工规模 and 转移就业 (the months rule itself is tested in tests/assistance/monitoring)."""
    settings.JOBCIRCLE_WORK_SCALE_MIN_MONTHS = 1
    settings.JOBCIRCLE_TRANSFER_MIN_MONTHS = 1
