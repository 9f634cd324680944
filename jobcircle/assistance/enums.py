from django.db import models


class WorkLocation(models.TextChoices):
    """Where an employed person works, as the monthly monitoring ledger records it."""

    LOCAL = "local", "本县"
    IN_PROVINCE = "in_province", "省内县外"
    OUT_OF_PROVINCE = "out_of_province", "省外"


AWAY_LOCATIONS = (WorkLocation.IN_PROVINCE, WorkLocation.OUT_OF_PROVINCE)  # 外出务工


class NotEmployedReason(models.TextChoices):
    CARING = "caring", "照料家庭"
    ILLNESS = "illness", "身体原因"
    NO_SKILLS = "no_skills", "缺乏技能"
    NO_SUITABLE_JOB = "no_suitable_job", "无合适岗位"
    STUDYING = "studying", "在校就读"
    OTHER = "other", "其他"


class TaskState(models.TextChoices):
    PENDING = "pending", "待监测"
    DONE = "done", "已完成"


class CaseState(models.TextChoices):
    OPEN = "open", "帮扶中"
    CLOSED = "closed", "已就业结案"
    WITHDRAWN = "withdrawn", "已退出"


class ServiceKind(models.TextChoices):
    POLICY = "policy", "政策宣讲"
    GUIDANCE = "guidance", "职业指导"
    JOB_INFO = "job_info", "岗位信息推送"
    TRAINING = "training", "培训或见习推荐"
    WELFARE_POST = "welfare_post", "公益性岗位推荐"
    OTHER = "other", "其他服务"


class ServiceSource(models.TextChoices):
    STAFF = "staff", "工作人员记录"
    MATCHING = "matching", "精准送岗推送"
    IMPORT = "import", "台账导入"


class PostAreaType(models.TextChoices):
    URBAN = "urban", "城镇公益性岗位"
    RURAL = "rural", "乡村公益性岗位"


class PlacementExitReason(models.TextChoices):
    TERM_ENDED = "term_ended", "期满离岗"
    FOUND_JOB = "found_job", "实现其他就业"
    RESIGNED = "resigned", "本人辞职"
    DISMISSED = "dismissed", "考核不合格解除"
    OTHER = "other", "其他"


class WorkshopStatus(models.TextChoices):
    NORMAL = "normal", "正常运行"
    BUFFER = "buffer", "缓冲监测"
    CLEARED = "cleared", "清理"


class ImportKind(models.TextChoices):
    RESIDENTS = "residents", "居民实名台账"
    MONITORING = "monitoring", "月度监测记录"
    WELFARE_PLACEMENTS = "welfare_placements", "公益性岗位安置台账"
    WORKSHOPS = "workshops", "就业帮扶车间台账"
    STATIONS = "stations", "就业服务站台账"
    HOUSEHOLDS = "households", "家庭户台账"  # its ledger and importer are the households app's (register_ledger)
    TRAINING_ROSTER = "training_roster", "培训花名册"  # training's (register_ledger)


class ImportState(models.TextChoices):
    QUEUED = "queued", "排队中"
    CHECKING = "checking", "校验中"
    PREVIEWED = "previewed", "预检通过，待确认"
    REJECTED = "rejected", "有错误，未导入"
    APPLYING = "applying", "导入中"
    APPLIED = "applied", "已导入"
    DUPLICATE = "duplicate", "重复文件，未导入"
    FAILED = "failed", "失败"
