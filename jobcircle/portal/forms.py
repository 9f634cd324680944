"""Forms of the resident H5 (社区快聘). Validation is the services' (the same as staff and API)."""

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.urls import reverse_lazy

from jobcircle.classifications.services import nearest_occupation
from jobcircle.common.forms import TextRulesForm
from jobcircle.employers.compliance import review_posting
from jobcircle.employers.forms import _segments  # the one way compliance hits are split for highlighting
from jobcircle.gigs.enums import ContactPreference, PayUnit
from jobcircle.gigs.services import REVIEWED_FIELDS as GIG_REVIEWED_FIELDS
from jobcircle.people.enums import Education, EmploymentStatus, IdType, WorkType
from jobcircle.people.forms import blank, community_choices, occupation_codes

TEL = {"type": "tel", "inputmode": "numeric", "autocomplete": "tel"}


class CaptchaInput(CaptchaTextInput):
    """The library's captcha widget with our template (Chinese alt text), found through the project's templates."""

    template_name = "portal/m/captcha_widget.html"

    def render(self, name, value, attrs=None, renderer=None):
        return super().render(name, value, attrs, renderer=TemplatesSetting())


class PhoneForm(TextRulesForm):
    phone = forms.CharField(label="手机号", max_length=20, widget=forms.TextInput(attrs=TEL))
    code = forms.CharField(
        label="短信验证码", max_length=6, required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}),
    )  # fmt: skip

    def __init__(self, *args, captcha=False, **kwargs):
        """``captcha``: add the image check (accounts.services.captcha_required decides when)."""
        super().__init__(*args, **kwargs)
        if captcha:
            self.fields["captcha"] = CaptchaField(
                label="图片验证码", widget=CaptchaInput(), help_text="请计算图中算式，填写结果",
                error_messages={"invalid": "图片验证码：计算结果不正确，请看新的图片重新填写",
                                "required": "图片验证码：请填写图中算式的结果",
                                "incomplete": "图片验证码：请填写图中算式的结果"},
            )  # fmt: skip


class RegisterForm(TextRulesForm):
    name = forms.CharField(label="姓名", max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    id_type = forms.ChoiceField(label="证件类型", choices=IdType.choices, initial=IdType.RESIDENT_ID)
    id_number = forms.CharField(
        label="证件号码", max_length=30, help_text="居民身份证请填18位号码，加密保存，仅工作人员可见脱敏号码"
    )
    birth_date = forms.DateField(
        label="出生日期",
        required=False,
        help_text="持居民身份证无需填写",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    gender = forms.ChoiceField(
        label="性别", required=False, choices=blank("由身份证号得出") + [("M", "男"), ("F", "女")]
    )
    community_code = forms.ChoiceField(label="所在社区/村")
    education = forms.ChoiceField(label="文化程度", choices=Education.choices, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community_code"].choices = community_choices()

    def service_data(self):
        d = self.cleaned_data
        return {
            "name": d["name"], "id_type": d["id_type"], "id_number": d["id_number"], "birth_date": d.get("birth_date"),
            "gender": d.get("gender") or None, "community_code": d["community_code"],
            "education": int(d["education"]) if d.get("education") not in (None, "") else None,
        }  # fmt: skip


class ProfileForm(TextRulesForm):
    """The resident's own profile and job intention (求职意向)."""

    education = forms.ChoiceField(label="文化程度", choices=Education.choices, required=False)
    employment_status = forms.ChoiceField(label="目前就业状态", choices=EmploymentStatus.choices)
    skills = forms.CharField(
        label="技能特长", required=False, max_length=300, help_text="如 叉车、电焊、收银，用逗号分隔"
    )
    occupation_codes = forms.CharField(
        label="想做的工作（职业）", required=False, max_length=120,
        help_text="输入想做的工作，如 收银、保洁、养老护理员，从提示中选择；不填表示不限",
        widget=forms.TextInput(attrs={
            "list": "occupation-options", "autocomplete": "off",
            # type-ahead: the server searches the catalogue with everyday words as the person types
            "hx-get": reverse_lazy("portal:m_occupation_options"), "hx-trigger": "input changed delay:250ms",
            "hx-target": "#occupation-options", "hx-swap": "outerHTML", "hx-sync": "this:replace",
        }),
    )  # fmt: skip
    work_type = forms.ChoiceField(label="工作类型", choices=WorkType.choices)
    min_monthly_pay = forms.IntegerField(label="期望月薪不低于（元）", min_value=0, required=False)
    max_distance_km = forms.DecimalField(
        label="最远通勤距离（公里）", min_value=0.5, max_value=50, decimal_places=1, initial=3,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )  # fmt: skip
    available_from = forms.DateField(
        label="最早可到岗日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean_occupation_codes(self):
        """Words without a catalogue code are never dropped: the nearest occupation is filled in and shown
        for confirmation (the next save keeps it); words like nothing in the catalogue are asked again."""
        text = (self.cleaned_data.get("occupation_codes") or "").strip()
        if not text or occupation_codes(text):
            return text
        nearest = nearest_occupation(text)
        if nearest is None:
            raise ValidationError(
                f"想做的工作：职业目录里没有找到与“{text}”相近的职业，请换个说法（如 收银员、保洁员），或从提示中选择"
            )
        self.data = self.data.copy()
        self.data[self.add_prefix("occupation_codes")] = f"{nearest.code} {nearest.name}"
        raise ValidationError(
            f"想做的工作：您填的“{text}”最接近职业“{nearest.name}”，已替换填入，请确认后再点保存；不合适可以改写"
        )

    @classmethod
    def initial_for(cls, resident):
        initial = {"education": resident.education, "employment_status": resident.employment_status,
                   "skills": "，".join(resident.skills or [])}  # fmt: skip
        intention = getattr(resident, "intention", None)
        if intention is not None:
            occupation = intention.occupations.first()
            initial.update(
                occupation_codes=f"{occupation.code} {occupation.name}" if occupation else "",
                work_type=intention.work_type, min_monthly_pay=intention.min_monthly_pay,
                max_distance_km=intention.max_distance_km, available_from=intention.available_from,
            )  # fmt: skip
        return initial

    def service_data(self):
        d = self.cleaned_data
        skills = [s.strip() for s in (d.get("skills") or "").replace("，", ",").replace("、", ",").split(",")]
        return {
            "education": int(d["education"]) if d.get("education") not in (None, "") else None,
            "employment_status": d["employment_status"], "skills": [s for s in skills if s],
            "intention": {
                "occupation_codes": occupation_codes(d.get("occupation_codes")), "work_type": d["work_type"],
                "min_monthly_pay": d.get("min_monthly_pay") or 0, "max_distance_km": d["max_distance_km"],
                "available_from": d.get("available_from"),
            },
        }  # fmt: skip


RADIUS_CHOICES = [("", "按我的通勤距离"), ("1", "1公里内"), ("3", "3公里内"), ("5", "5公里内"), ("10", "10公里内")]


class NearbyFilterForm(TextRulesForm):
    work_type = forms.ChoiceField(label="工作类型", required=False, choices=blank("不限") + WorkType.choices)
    min_pay = forms.IntegerField(label="月薪不低于（元）", required=False, min_value=0)
    occupation = forms.CharField(
        label="职业", required=False, max_length=120,
        widget=forms.TextInput(attrs={"list": "occupation-options", "autocomplete": "off", "placeholder": "不限"}),
    )  # fmt: skip
    radius_km = forms.ChoiceField(label="范围", required=False, choices=RADIUS_CHOICES)

    def service_filters(self) -> dict:
        """The chosen filters as ``matching.services.nearby_results`` takes them (an occupation: the
        first code typed); an invalid form filters nothing."""
        data = self.cleaned_data if self.is_valid() else {}
        codes = occupation_codes(data.get("occupation"))
        return {"work_type": data.get("work_type") or None, "min_pay": data.get("min_pay") or None,
                "occupation_code": codes[0] if codes else None}  # fmt: skip


class PushSettingsForm(TextRulesForm):
    """推送设置: receive, pause or stop job pushes; a text with every push or at most one a week."""

    CHOICES = [("on", "接收岗位推送"), ("7", "暂停7天"), ("30", "暂停30天"), ("90", "暂停90天"), ("stop", "不再接收")]
    receive = forms.ChoiceField(label="岗位推送", choices=CHOICES, widget=forms.RadioSelect)
    sms_every_time = forms.BooleanField(
        label="每次推送都发短信", required=False, help_text="不勾选时每周最多一条短信，其余推送在“消息”里查看"
    )

    def __init__(self, *args, resident, today, **kwargs):
        """A paused resident also gets "keep the pause" (its end day unchanged), chosen at first."""
        paused = resident.push_paused_until is not None and resident.push_paused_until >= today
        receive = "stop" if resident.push_stopped else ("keep" if paused else "on")
        kwargs.setdefault("initial", {"receive": receive, "sms_every_time": resident.push_sms_every_time})
        super().__init__(*args, **kwargs)
        if paused:
            until = f"{resident.push_paused_until.month}月{resident.push_paused_until.day}日"
            self.fields["receive"].choices = [("keep", f"继续暂停至{until}"), *self.CHOICES]

    def service_data(self):
        """The data of ``people.services.set_push_preferences``."""
        receive = self.cleaned_data["receive"]
        data = {"stopped": receive == "stop", "sms_every_time": self.cleaned_data["sms_every_time"]}
        if receive == "on":
            data["pause_days"] = 0
        elif receive not in ("stop", "keep"):
            data["pause_days"] = int(receive)
        return data


# --- 零工: a household posts a gig, and records the work done -------------------------------------

DATETIME = {"type": "datetime-local"}
DECIMAL = {"inputmode": "decimal"}


def _choice_errors(label):
    return {"invalid_choice": f"{label}：请从列表中选择", "required": f"{label}：请选择"}


class GigPostForm(TextRulesForm):
    """发布零工 (个人/家庭) on H5. Only the text rule here: every other rule (times, pay, headcount,
    compliance) is gigs.services.clean_gig_input's, shown beside its field through add_service_errors."""

    title = forms.CharField(label="零工任务", max_length=60, required=False, help_text="如 搬家帮手、保洁半天")
    occupation_code = forms.CharField(
        label="工种", max_length=120, required=False, help_text="输入工种，如 搬运、保洁、家政，从提示中选择",
        widget=forms.TextInput(attrs={
            "list": "occupation-options", "autocomplete": "off", "hx-get": reverse_lazy("portal:m_occupation_options"),
            "hx-trigger": "input changed delay:250ms", "hx-target": "#occupation-options", "hx-swap": "outerHTML",
            "hx-sync": "this:replace"}),
    )  # fmt: skip
    description = forms.CharField(label="工作内容", max_length=1000, required=False, widget=forms.Textarea)
    starts_at = forms.CharField(label="开始时间", max_length=20, required=False, widget=forms.TextInput(DATETIME))
    ends_at = forms.CharField(label="结束时间", max_length=20, required=False, widget=forms.TextInput(DATETIME))
    address = forms.CharField(label="工作地点", max_length=200, required=False, help_text="不填坐标时按您的住址定位")
    pay_unit = forms.ChoiceField(label="计酬方式", choices=PayUnit.choices, error_messages=_choice_errors("计酬方式"))
    pay_rate = forms.CharField(label="报酬标准（元）", max_length=12, required=False, widget=forms.TextInput(DECIMAL))
    headcount = forms.CharField(
        label="需要人数", max_length=4, required=False, widget=forms.TextInput({"inputmode": "numeric"})
    )
    requirements = forms.CharField(label="要求", max_length=1000, required=False, widget=forms.Textarea)
    contact_preference = forms.ChoiceField(
        label="联系方式偏好", choices=ContactPreference.choices, error_messages=_choice_errors("联系方式偏好")
    )

    def service_data(self):
        data = dict(self.cleaned_data)
        codes = occupation_codes(data.get("occupation_code"))
        data["occupation_code"] = codes[0] if codes else data.get("occupation_code", "")
        return data

    def highlights(self):
        """Where the compliance checker found wording to fix, beside the field (as on the job form)."""
        texts = {f: (self.data.get(f) or "") for f in GIG_REVIEWED_FIELDS}
        texts = {f: text for f, text in texts.items() if len(text) <= self.fields[f].max_length}
        by_field = {}
        for hit in review_posting(texts):
            by_field.setdefault(hit.field, []).append(hit)
        return [{"field": f, "segments": _segments(texts[f], hits)} for f, hits in by_field.items()]


class GigCompletionForm(TextRulesForm):
    """完工: the work done and the pay agreed (the services check amounts and days)."""

    quantity = forms.CharField(label="计酬数量（小时/天/件）", max_length=12, required=False,
                               widget=forms.TextInput(DECIMAL))  # fmt: skip
    pay_amount = forms.CharField(label="报酬（元）", max_length=12, required=False, widget=forms.TextInput(DECIMAL))
    days_worked = forms.CharField(label="工作天数", max_length=2, required=False, help_text="不填按零工的全部天数",
                                  widget=forms.TextInput({"inputmode": "numeric"}))  # fmt: skip
