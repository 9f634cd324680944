"""Demo training and internships: a year of programmes (one opening each month, two recruiting now, one running),
their rosters, attendance and outcomes; internship bases, positions raised over the year and interns placed, ended
at term (retained or not) or early. Written straight to the models in bulk, with their creation log rows."""

import datetime
import random
from decimal import Decimal

from jobcircle.classifications.models import Occupation
from jobcircle.common.workflow import log_created
from jobcircle.people.models import age_on
from jobcircle.training.enums import (
    EnrolmentSource,
    EnrolmentStatus,
    ExitReason,
    PlacementStatus,
    ProgrammeKind,
    ProgrammeStatus,
    ProviderKind,
    SkillLevel,
)
from jobcircle.training.internships import PLACEMENT_WORKFLOW
from jobcircle.training.models import (
    Attendance,
    Enrolment,
    InternPlacement,
    InternshipBase,
    InternshipPosition,
    Programme,
    TrainingProvider,
    TrainingSession,
)
from jobcircle.training.services import ENROLMENT_WORKFLOW, PROGRAMME_WORKFLOW, months_later

TRADES = ["4-03-02-01", "4-10-01-05", "6-18-02-04", "4-10-01-01", "5-01-02-01"]  # 中式烹调师, 养老护理员, …
SPECIALS = ["徽菜师傅", "家政服务", "电商直播"]
PROVIDERS = [("县职业技能培训学校", ProviderKind.INSTITUTION), ("县技工学校", ProviderKind.TECHNICAL_SCHOOL),
             ("惠民家政服务有限公司", ProviderKind.ENTERPRISE)]  # fmt: skip


def build_training_demo(builder, *, county, stations, residents, employers, today) -> dict:
    rng = random.Random(builder.rng.random())
    occupations = list(Occupation.objects.filter(code__in=TRADES))
    providers = []
    for name, kind in PROVIDERS:
        station = rng.choice(stations)
        provider = TrainingProvider(name=name, kind=kind, credit_code=builder.credit_code(county.code[:6], "company"),
                                    address=f"{station.address}旁", community=station.community,
                                    area_code=station.community.code, special_trades=SPECIALS)  # fmt: skip
        provider.set_location(station.lat, station.lng)
        providers.append(provider)
    TrainingProvider.objects.bulk_create(providers)
    for provider in providers:
        provider.trades.set(occupations)
    adults = [r for r in residents if 16 <= age_on(r.birth_date, today) <= 60]
    rng.shuffle(adults)
    programmes, enrolments = [], []
    for back in range(-2, 12):  # -2, -1: recruiting (starting in the coming weeks); 0: running; the rest finished
        start = today - datetime.timedelta(days=30 * back + 10 * (back <= 0) - 20 * (back < 0))
        station, provider = rng.choice(stations), rng.choice(providers)
        occupation = rng.choice(occupations) if rng.random() < 0.7 else None
        status = (ProgrammeStatus.RECRUITING if back < 0 else ProgrammeStatus.RUNNING if back == 0
                  else ProgrammeStatus.VERIFIED if back > 3 else ProgrammeStatus.FINISHED)  # fmt: skip
        special = "" if occupation else rng.choice(SPECIALS)
        programme = Programme(
            provider=provider, name=f"{occupation.name if occupation else special}培训班（{start:%Y年%m月}）",
            occupation=occupation, special_name=special,
            kind=rng.choice(ProgrammeKind.values[:3] + [ProgrammeKind.AGRICULTURE]), level=SkillLevel.LEVEL_5,
            places=30, starts_on=start, ends_on=start + datetime.timedelta(days=14), venue=station.name,
            community=station.community, area_code=station.community.code,
            subsidy_per_head=Decimal(rng.choice(["800.00", "1200.00", "1500.00"])), status=status,
        )  # fmt: skip
        programme.set_location(station.lat, station.lng)
        programmes.append(programme)
    Programme.objects.bulk_create(programmes)
    sessions = TrainingSession.objects.bulk_create([
        TrainingSession(programme=p, number=n + 1, held_on=p.starts_on + datetime.timedelta(days=4 * n))
        for p in programmes for n in range(4)
    ])  # fmt: skip
    for programme in programmes:
        done = programme.status not in (ProgrammeStatus.RECRUITING, ProgrammeStatus.RUNNING)
        for resident in [adults.pop() for _ in range(min(len(adults), rng.randint(8, 20)))]:
            present = rng.choice((4, 4, 4, 3, 2)) if done else 0
            enrolments.append(Enrolment(
                programme=programme, resident=resident, area_code=resident.area_code, source=EnrolmentSource.STAFF,
                enrolled_on=programme.starts_on - datetime.timedelta(days=7), subsidised=True,
                subsidy_level=programme.level, subsidy_year=programme.starts_on.year,
                status=(EnrolmentStatus.COMPLETED if present >= 4 * 0.8 else EnrolmentStatus.FAILED) if done
                else EnrolmentStatus.ENROLLED,
                completed_on=programme.ends_on if done else None, attendance_percent=25 * present if done else None,
                exam_passed=(rng.random() < 0.85) if done and present >= 4 else None,
            ))  # fmt: skip
            enrolments[-1].present = present
    Enrolment.objects.bulk_create(enrolments, batch_size=2000)
    by_programme = {}
    for session in sessions:
        by_programme.setdefault(session.programme_id, []).append(session)
    Attendance.objects.bulk_create([
        Attendance(session=session, enrolment=e, present=index < e.present)
        for e in enrolments if e.present for index, session in enumerate(by_programme[e.programme_id])
    ], batch_size=5000)  # fmt: skip
    log_created(PROGRAMME_WORKFLOW, programmes, reason="演示数据")
    log_created(ENROLMENT_WORKFLOW, enrolments, reason="演示数据")
    interns = _internships(rng, employers[:4], [r for r in residents if age_on(r.birth_date, today) <= 24], today)
    return {"programmes": len(programmes), "trainees": len(enrolments), "interns": interns}


def _internships(rng, employers, young, today) -> int:
    bases = InternshipBase.objects.bulk_create([
        InternshipBase(employer=e, area_code=e.area_code, certificate_number=f"见习认字〔{today.year - 1}〕{i + 1}号",
                       certified_on=today - datetime.timedelta(days=400), capacity=20)
        for i, e in enumerate(employers)
    ])  # fmt: skip
    positions = []
    for month in range(12):
        base = rng.choice(bases)
        position = InternshipPosition(
            base=base, title=rng.choice(["行政助理", "会计助理", "电商运营", "质检员", "前台接待"]) + "见习",
            places=rng.randint(2, 5), term_months=6, monthly_allowance=Decimal("1800.00"),
            address=base.employer.address, area_code=base.area_code,
            raised_on=today - datetime.timedelta(days=30 * month + 5),
        )  # fmt: skip
        position.set_location(base.employer.lat, base.employer.lng)
        positions.append(position)
    InternshipPosition.objects.bulk_create(positions)
    placements = []
    for position, resident in zip(rng.choices(positions, k=len(young)), young, strict=False):
        start = position.raised_on + datetime.timedelta(days=10)
        end = months_later(start, position.term_months)
        if start > today:
            continue
        placement = InternPlacement(position=position, resident=resident, area_code=position.area_code,
                                    started_on=start, planned_end_on=end)  # fmt: skip
        if end <= today:
            placement.status, placement.ended_on, placement.retained = (
                PlacementStatus.COMPLETED,
                end,
                rng.random() < 0.4,
            )
        elif rng.random() < 0.15:
            placement.status, placement.ended_on = PlacementStatus.EXITED, start + datetime.timedelta(days=40)
            placement.exit_reason, placement.retained = ExitReason.EMPLOYED_ELSEWHERE, False
            if placement.ended_on > today:
                placement.status, placement.ended_on, placement.exit_reason, placement.retained = (
                    PlacementStatus.ON_POST, None, "", None)  # fmt: skip
        placements.append(placement)
        if len(placements) >= 30:
            break
    InternPlacement.objects.bulk_create(placements)
    log_created(PLACEMENT_WORKFLOW, placements, reason="演示数据")
    return len(placements)
