"""Issue 17, employers: a flagged posting → fixed → staff review (returned with a reason, then approved) →
published → an application arrives → the employer views the applicant's phone and invites to interview.
And the employer pages fit a 360 px phone."""

from jobcircle.common.sms import MemoryBackend
from jobcircle.employers.models import Job, JobTransition
from jobcircle.matching.models import InboxMessage
from jobcircle.recruiting.services import apply_to_job
from tests.browser.helpers import BROWSER_TEST, csp_violations, login_as, no_horizontal_scroll
from tests.browser.test_employer_posting import fill_job

pytestmark = BROWSER_TEST


def submit(page, name):
    with page.expect_navigation():
        page.get_by_role("button", name=name).first.click()


def staff_window(browser, base):
    """A second browser (its own cookies) for the staff member, with the same checks as ``page``:
    requests to other hosts aborted and recorded, console errors (CSP reports) recorded."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(20_000)
    other = context.new_page()
    other.jc_console, other.jc_external = [], []

    def only_own_host(route):
        if route.request.url.startswith((base, "data:", "blob:")):
            route.continue_()
        else:
            other.jc_external.append(route.request.url)
            route.abort()

    context.route("**/*", only_own_host)
    other.on("console", lambda message: message.type == "error" and other.jc_console.append(message.text))
    return other


def test_flagged_fixed_reviewed_published_then_the_applicant_is_called_and_invited(
    page, browser, live_server, employer_user, community_staff, resident
):
    MemoryBackend.outbox.clear()
    base = live_server.url
    staff = staff_window(browser, base)
    login_as(staff, base, "community_staff")
    login_as(page, base, "employer_user")
    page.get_by_role("link", name="发布岗位").first.click()
    fill_job(page, "能适应早晚班，35岁以下")
    submit(page, "发布岗位")
    assert "已提交人社部门审核" in page.locator("body").inner_text()
    job = Job.objects.get(title="收银员")
    assert job.status == "review"

    # Staff return it with a reason …
    staff.goto(f"{base}{_url('employers:review_queue')}")
    card = staff.locator(f"[data-jc-review='{job.pk}']")
    assert "35岁以下" in card.inner_text()
    card.get_by_label("审核意见（退回时必填）").fill("年龄限制无法定依据，请删除")
    with staff.expect_navigation():
        card.get_by_role("button", name="退回修改").click()

    # … the employer sees why, fixes it (still asking staff for an age range for night shifts) …
    page.goto(f"{base}{_url('portal:employer_home')}")
    assert "被退回修改：年龄限制无法定依据，请删除" in page.locator("[data-jc-notice=draft]").inner_text()
    page.goto(f"{base}{_url('portal:employer_job_edit', job.pk)}")
    page.get_by_label("招聘条件").fill("能适应早晚班，夜班岗位18至45岁（依《夜班作业规范》第三条）")
    submit(page, "保存")
    job.refresh_from_db()
    assert job.status == "review"

    # … staff approve it, and it is published.
    staff.goto(f"{base}{_url('employers:review_queue')}")
    with staff.expect_navigation():
        staff.locator(f"[data-jc-review='{job.pk}']").get_by_role("button", name="审核通过并发布").click()
    job.refresh_from_db()
    assert (job.status, job.review_result) == ("open", "approved")
    assert [t.to_status for t in JobTransition.objects.filter(job=job).order_by("id")] == [
        "review", "draft", "review", "open"
    ]  # fmt: skip
    assert csp_violations(staff) == [] and staff.jc_external == []
    staff.context.close()

    # An application arrives; the employer views the phone and invites to interview.
    application = apply_to_job(resident, job, by=None)
    page.goto(f"{base}{_url('portal:employer_home')}")
    assert "审核通过，已发布" in page.locator("[data-jc-notice=open]").inner_text()
    page.goto(f"{base}{_url('portal:employer_applicants', job.pk)}")
    assert resident.phone_masked in page.locator(f"[data-jc-phone='{application.pk}']").inner_text()
    with page.expect_navigation():
        page.locator(f"[data-jc-reveal-phone='{application.pk}']").click()
    phone_cell = page.locator(f"[data-jc-phone='{application.pk}']").inner_text()
    assert "*" not in phone_cell and len(phone_cell.strip()) == 11

    form = page.locator(f"[data-jc-transition='{application.pk}']")
    page.locator("details summary", has_text="处理").first.click()
    form.get_by_label("操作").select_option("interview")
    form.get_by_label("面试时间").fill("2030-01-15T10:00")
    form.get_by_label("面试地点").fill("幸福路8号二楼")
    with page.expect_navigation():
        form.get_by_role("button", name="确定").click()
    application.refresh_from_db()
    assert application.status == "interview"
    assert InboxMessage.objects.filter(resident=resident, kind="interview").exists()
    assert any("面试邀请" in text for _, text in MemoryBackend.outbox)
    assert csp_violations(page) == [] and page.jc_external == []


def _url(name, *args):
    from django.urls import reverse

    return reverse(name, args=args)


def test_the_employer_pages_fit_a_360_px_phone(page, live_server, employer_user, employer, resident):
    from tests.factories import JobFactory

    job = JobFactory(employer=employer)
    apply_to_job(resident, job, by=None)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/employer/register/")
    assert no_horizontal_scroll(page), "/employer/register/"
    login_as(page, live_server.url, "employer_user")
    for name, args in [
        ("portal:employer_home", ()),
        ("portal:employer_job_create", ()),
        ("portal:employer_job_edit", (job.pk,)),
        ("portal:employer_applicants", (job.pk,)),
    ]:
        page.goto(live_server.url + _url(name, *args))
        assert no_horizontal_scroll(page), name
        assert off_screen(page) == [], name
    assert csp_violations(page) == [] and page.jc_external == []


def off_screen(page):
    """Controls and table cells reaching past the right edge (hidden in a side-scroll on a phone)."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('main button, main a, main summary, main td'))
            .filter((el) => el.offsetParent !== null && el.getBoundingClientRect().right > window.innerWidth + 1)
            .map((el) => el.outerHTML.slice(0, 60))"""
    )
