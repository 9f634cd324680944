"""Cross-app factories: a small synthetic county, people, employers, jobs, users per role.

Every identity carries the generator's SEC-43 markers (ID prefix 990000, phone 140…).
"""

import datetime
import itertools

import factory
from django.utils import timezone
from stdnum.cn import ric, uscc

from jobcircle.accounts.enums import ADMIN_ROLES, STAFF_ROLES, Role
from jobcircle.accounts.models import User
from jobcircle.areas.enums import RegionLevel
from jobcircle.areas.models import Region, ServiceStation
from jobcircle.classifications.models import Occupation
from jobcircle.common.validators import organization_code_check_char
from jobcircle.demo.generator import synthetic_id_number
from jobcircle.employers.enums import JobStatus
from jobcircle.employers.models import Employer, Job
from jobcircle.people.models import Resident

_serial = itertools.count(1)


def demo_id_number(birth=datetime.date(1990, 5, 17), male=True):
    return synthetic_id_number(birth, (next(_serial) % 500) * 2 + (1 if male else 0))


def with_check_digit(body17, wrong=False):
    """Append the MOD 11-2 check digit to 17 digits (or a wrong one)."""
    digit = ric.calc_check_digit(body17 + "?")
    if wrong:
        digit = "0" if digit != "0" else "1"
    return body17 + digit


def demo_phone():
    return f"140{next(_serial):08d}"


def demo_credit_code():
    body = f"91990121MA{next(_serial):06d}"
    body += organization_code_check_char(body[8:])
    return body + uscc.calc_check_digit(body)


def region(code, name, level, parent=None):
    return Region.objects.update_or_create(code=code, defaults={"name": name, "level": level, "parent": parent})[0]


def station(community, lat, lng, name=None):
    s = ServiceStation(community=community, name=name or f"{community.name}服务站", address=f"{community.name}1号")
    s.set_location(lat, lng)
    s.save()
    return s


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident

    name = factory.Sequence(lambda n: f"测试居民{n}")
    birth_date = datetime.date(1990, 5, 17)
    gender = "M"
    community = None
    area_code = factory.LazyAttribute(lambda o: o.community.code)

    @classmethod
    def _create(cls, model_class, *args, id_number=None, phone=None, lat=None, lng=None, **kwargs):
        obj = model_class(*args, **kwargs)
        obj.set_id_number(id_number or demo_id_number(obj.birth_date, obj.gender == "M"))
        obj.set_phone(phone or demo_phone())
        home = obj.community.stations.first()
        obj.set_location(lat if lat is not None else home.lat, lng if lng is not None else home.lng)
        obj.save()
        return obj


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"测试用工单位{n}有限公司")
    credit_code = factory.LazyFunction(demo_credit_code)
    address = "测试路1号"
    community = None
    area_code = factory.LazyAttribute(lambda o: o.community.code)
    contact_name = "联系人"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = model_class(*args, **kwargs)
        obj.set_contact_phone(demo_phone())
        s = obj.community.stations.first()
        obj.set_location(s.lat, s.lng)
        obj.save()
        return obj


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    employer = None
    title = "普通工"
    occupation = factory.LazyFunction(lambda: Occupation.objects.get(code="4-10-01-05"))  # 养老护理员
    headcount = 2
    pay_min = 3000
    pay_max = 4500
    description = "负责车间生产"
    requirements = "能适应倒班"
    work_address = factory.LazyAttribute(lambda o: o.employer.address)
    area_code = factory.LazyAttribute(lambda o: o.employer.area_code)
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=5))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    status = JobStatus.OPEN

    @classmethod
    def _create(cls, model_class, *args, lat=None, lng=None, **kwargs):
        obj = model_class(*args, **kwargs)
        obj.set_location(lat if lat is not None else obj.employer.lat, lng if lng is not None else obj.employer.lng)
        obj.save()
        return obj


def make_user(username, role, **links):
    """A login; staff and administrators get a (synthetic) phone for their second factor."""
    user = User(username=username, role=role, **links)
    user.set_password("Test-password-2026")
    if role in STAFF_ROLES | ADMIN_ROLES:
        user.set_phone(demo_phone())
    user.save()
    return user


__all__ = ["RegionLevel", "Role", "make_user"]


def new_county_regions():
    """A county just set up: its regions imported (villages with centre points), no station, no person."""
    county = region("990122000000", "新设县", 3, region("990100000000", "示范市", 2))
    town = region("990122001000", "新城镇", 4, county)
    villages = [region(f"99012200100{i}", f"新{i}村", 5, town) for i in range(1, 4)]
    for i, village in enumerate(villages):
        village.centroid_lat, village.centroid_lng = 33.20 + i / 100, 115.70
        village.save()
    return {"county": county, "town": town, "villages": villages}
