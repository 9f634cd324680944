"""精准送岗, stage 3, writing: pushes and inbox messages, then what follows them (case services, SMS).

- ``write_partition`` writes a partition's pushes and inbox messages and marks it done, in one
  transaction (all or nothing), through the project's one bulk insert (``common/bulk.py``).
- ``record_case_services`` and ``send_push_sms`` run afterwards as tasks of their own (``tasks``).
"""

from collections import defaultdict

import numpy as np
from django.db import transaction
from django.utils import timezone

from jobcircle.areas.codes import prefix_of
from jobcircle.assistance.cases.services import record_job_push
from jobcircle.assistance.models import AssistanceCase
from jobcircle.common import pii
from jobcircle.common.bulk import bulk_insert
from jobcircle.common.sms import SMSError, send_sms
from jobcircle.people.models import Resident

from .cadence import COUNTY_LENGTH, county_key, lock_push_keys
from .engine import Pairs
from .models import InboxMessage, JobPush, PartitionStatus, PushPartition
from .push_candidates import PartitionInput, area_range, messaged_since
from .reasons import distance_text

PUSH_TITLE = "为您推荐{n}个附近岗位"


def write_partition(partition: PushPartition, data: PartitionInput | None, chosen: Pairs) -> dict:
    """Pushes and inbox messages of a partition, and its status, in one transaction."""
    with transaction.atomic():
        if data is not None:
            # Serialised with the real-time pushes of the county, which may have messaged a seeker
            # since the partition was read (``cadence``): those keep their one message.
            lock_push_keys([county_key(partition.area_code)])
            since = messaged_since(prefix_of(partition.area_code)[:COUNTY_LENGTH], partition.pushed_on)
            keep = data.write[chosen.s]
            if since:
                keep &= ~np.isin(data.seekers.id[chosen.s], np.fromiter(since, dtype=np.int64, count=len(since)))
            chosen = chosen.take(keep)
        return _write_rows(partition, data, chosen)


def _write_rows(partition, data, chosen) -> dict:
    pushes, messages = {}, {}
    if data is not None and len(chosen):
        S, J = data.seekers, data.jobs
        first = np.r_[True, chosen.s[1:] != chosen.s[:-1]]
        starts = np.flatnonzero(first)
        per_seeker = np.diff(np.r_[starts, len(chosen)])
        rank = np.arange(len(chosen)) - np.repeat(starts, per_seeker) + 1
        seeker_ids, area = S.id[chosen.s], S.area_code[chosen.s]
        # Column-wise: one list per field, so that a province partition's rows never become objects.
        pushes = {"resident": seeker_ids, "job": J.id[chosen.j], "pushed_on": partition.pushed_on, "rank": rank,
                  "score": chosen.score, "distance_m": np.round(chosen.distance_m, 1),
                  "occupation_match": chosen.occupation, "skill_overlap": chosen.skills, "pay_fit": chosen.pay_fit,
                  "area_code": area}  # fmt: skip
        messages = {"resident": seeker_ids[starts], "kind": InboxMessage.Kind.JOB_PUSH.value,
                    "pushed_on": partition.pushed_on, "title": [PUSH_TITLE.format(n=n) for n in per_seeker.tolist()],
                    "area_code": area[starts], "created_at": timezone.now(),
                    "sms_status": np.where(data.sms_pending[chosen.s[starts]], InboxMessage.SmsStatus.PENDING.value,
                                           InboxMessage.SmsStatus.IN_APP.value)}  # fmt: skip
    n_messages = bulk_insert(InboxMessage, messages)
    n_pushes = bulk_insert(JobPush, pushes)
    PushPartition.objects.filter(pk=partition.pk).update(
        status=PartitionStatus.DONE, pushes=n_pushes, messages=n_messages, finished_at=timezone.now()
    )
    return {"pushes": n_pushes, "messages": n_messages}


def record_case_services(pushed_on, area_prefix) -> int:
    """Pushes of a day to people with an open assistance case count toward their "3 job infos".

    - Calls the assistance hook once per push; the hook is idempotent on the reference, so
      running this again changes nothing.
    - Runs after the partition, as a task of its own: the hook audits every record one by one.
    """
    return record_case_services_of(JobPush.objects.filter(pushed_on=pushed_on, **area_range(area_prefix)))


def record_case_services_of(pushes) -> int:
    """The "3 job infos" of the pushes of a queryset (one day's, or a real-time push's), idempotent."""
    with_case = AssistanceCase.objects.open().filter(resident_id__in=pushes.values("resident_id"))
    recorded = 0
    rows = pushes.filter(resident_id__in=with_case.values("resident_id")).order_by("resident_id", "pushed_on", "rank")
    for resident_id, job_id, pushed_on in rows.values_list("resident_id", "job_id", "pushed_on"):
        ref = f"push:{pushed_on}:{resident_id}:{job_id}"
        recorded += record_job_push(resident_id, job_id=job_id, pushed_on=pushed_on, reference=ref) is not None
    return recorded


# --- SMS ----------------------------------------------------------------------------------------------


def sms_text(pushes) -> str:
    """The text of one push SMS: job, employer and distance only (no personal data)."""
    items = "；".join(
        f"{i}.{p.job.title}（{p.job.employer.name}，{distance_text(p.distance_m).removeprefix('距离')}）"
        for i, p in enumerate(pushes, 1)
    )
    return f"【三公里就业圈】为您推荐{len(pushes)}个附近岗位：{items}。详情请在“社区快聘”消息中查看。"


def send_push_sms(pushed_on, area_prefix, *, chunk=200) -> dict:
    """Text every pending push message of a day and area, each at most once.

    - A chunk is claimed (pending → sending) before any text leaves, so a crash never sends
      twice; messages left "sending" by a crash are not retried automatically.
    - No phone on record → ``no_phone``; a gateway error → ``failed``.
    """
    counts = defaultdict(int)
    pending = InboxMessage.objects.filter(
        kind=InboxMessage.Kind.JOB_PUSH, pushed_on=pushed_on, sms_status=InboxMessage.SmsStatus.PENDING,
        **area_range(area_prefix),
    ).order_by("pk")  # fmt: skip
    while True:
        ids = list(pending.values_list("pk", flat=True)[:chunk])
        if not ids:
            break
        claimed = list(
            InboxMessage.objects.filter(pk__in=ids, sms_status=InboxMessage.SmsStatus.PENDING).values_list(
                "pk", "resident_id"
            )
        )
        InboxMessage.objects.filter(pk__in=[pk for pk, _ in claimed]).update(sms_status=InboxMessage.SmsStatus.SENDING)
        residents = dict(Resident.objects.filter(pk__in=[r for _, r in claimed]).values_list("pk", "phone_encrypted"))
        by_resident = defaultdict(list)
        for push in (
            JobPush.objects.filter(resident_id__in=residents, pushed_on=pushed_on)
            .select_related("job__employer")
            .order_by("resident_id", "rank")
        ):
            by_resident[push.resident_id].append(push)
        outcome = defaultdict(list)
        for pk, resident_id in claimed:
            phone = pii.decrypt(residents.get(resident_id, ""))
            if not phone or not by_resident[resident_id]:
                outcome[InboxMessage.SmsStatus.NO_PHONE].append(pk)
                continue
            try:
                send_sms(phone, sms_text(by_resident[resident_id]))
                outcome[InboxMessage.SmsStatus.SENT].append(pk)
            except SMSError:
                outcome[InboxMessage.SmsStatus.FAILED].append(pk)
        for status, pks in outcome.items():
            extra = {"sms_sent_at": timezone.now()} if status == InboxMessage.SmsStatus.SENT else {}
            InboxMessage.objects.filter(pk__in=pks).update(sms_status=status, **extra)
            counts[str(status)] += len(pks)
    return dict(counts)
