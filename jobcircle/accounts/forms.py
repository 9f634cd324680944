"""Back-office forms of the administrators' screens. The rules are accounts.security's (as for the API)."""

from django import forms

from jobcircle.common.forms import TextRulesForm

from .enums import ADMIN_ROLES, STAFF_ROLES, Role

# Staff first, then the administrators, in the order of the Role enum.
ACCOUNT_ROLES = [(r.value, r.label) for r in Role if r in STAFF_ROLES | ADMIN_ROLES]


class UserFilterForm(TextRulesForm):
    role = forms.ChoiceField(label="角色", required=False, choices=[("", "全部")] + ACCOUNT_ROLES)
    active = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), ("1", "启用"), ("0", "已停用")])

    def filter(self, queryset):
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("role"):
            queryset = queryset.filter(role=data["role"])
        if data.get("active"):
            queryset = queryset.filter(is_active=data["active"] == "1")
        return queryset


class StaffUserForm(TextRulesForm):
    """What security.create_staff_user takes; the service decides what is valid and writes nothing on error."""

    username = forms.CharField(label="用户名", max_length=150)
    role = forms.ChoiceField(label="角色", choices=ACCOUNT_ROLES)
    area_code = forms.CharField(
        label="负责区划代码", required=False, max_length=12,
        help_text="工作人员必填：区县6位、乡镇/街道9位或社区/村12位代码；管理员可留空",
    )  # fmt: skip
    phone = forms.CharField(
        label="手机号", max_length=20, help_text="接收登录短信验证码", widget=forms.TextInput(attrs={"type": "tel"})
    )
    # Never echoed back into the page, even when the form comes back with errors.
    password = forms.CharField(
        label="初始密码", strip=False, help_text="至少12位，含大小写字母、数字、符号中的三类；首次登录后请本人修改",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )  # fmt: skip

    def service_data(self):
        d = self.cleaned_data
        return {"username": d["username"], "role": d["role"], "area_code": d["area_code"], "phone": d["phone"],
                "password": d["password"]}  # fmt: skip
