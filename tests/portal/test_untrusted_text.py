"""SEC-29: posting text is plain text; markup typed into it is shown, never run."""

import pytest

from tests.factories import JobFactory

pytestmark = pytest.mark.django_db
PAYLOADS = ['<script>alert("x")</script>', '<a href="javascript:alert(1)">点我</a>', '<img src=x onerror="alert(1)">']


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markup_in_a_posting_is_escaped_on_the_job_page(client, resident_user, employer, payload):
    job = JobFactory(employer=employer, description=f"负责仓储{payload}")
    client.force_login(resident_user)
    html = client.get(f"/m/jobs/{job.pk}/").content.decode()
    assert payload not in html
    assert "负责仓储&lt;" in html
