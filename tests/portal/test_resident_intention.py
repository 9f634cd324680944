"""求职意向 on the H5: what the resident types is never dropped (issue 17)."""

import pytest
from django.urls import reverse

from jobcircle.people.models import JobIntention


@pytest.fixture
def signed_in(client, resident_user):
    client.force_login(resident_user)
    return client


def profile(**intention):
    return {"employment_status": "unemployed", "work_type": "full_time", "max_distance_km": "3", **intention}


def test_typed_words_are_mapped_to_the_nearest_occupation_and_shown_for_confirmation(signed_in, resident):
    response = signed_in.post(reverse("portal:m_profile"), profile(occupation_codes="收银"))
    assert response.status_code == 200  # not 已保存
    page = response.content.decode()
    assert "“收银”最接近职业“收银员”" in page and 'value="4-01-02-04 收银员"' in page
    assert not JobIntention.objects.filter(resident=resident, occupations__isnull=False).exists()
    # the person confirms what is now in the box
    response = signed_in.post(reverse("portal:m_profile"), profile(occupation_codes="4-01-02-04 收银员"))
    assert response["Location"] == reverse("portal:m_jobs")
    assert [o.name for o in JobIntention.objects.get(resident=resident).occupations.all()] == ["收银员"]


def test_words_like_no_occupation_are_kept_and_asked_again(signed_in, resident):
    response = signed_in.post(reverse("portal:m_profile"), profile(occupation_codes="ZZZ"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "没有找到与“ZZZ”相近的职业" in page and 'value="ZZZ"' in page


def test_the_type_ahead_searches_the_catalogue_with_everyday_words(client, db):
    page = client.get(reverse("portal:m_occupation_options"), {"occupation_codes": "保姆"}).content.decode()
    assert page.startswith('<datalist id="occupation-options">') and "家政服务员" in page


def test_the_profile_page_no_longer_ships_the_whole_catalogue(signed_in):
    page = signed_in.get(reverse("portal:m_profile")).content.decode()
    assert page.count('<option value="4-') < 5 and 'hx-get="/m/occupations/"' in page
