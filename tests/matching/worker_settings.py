"""Settings for the worker-process test: the database task backend and township partitions."""

from config.settings.test import *  # noqa: F403
from config.settings.test import JOBCIRCLE_MATCHING

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
JOBCIRCLE_MATCHING = {**JOBCIRCLE_MATCHING, "partition_level": "township"}
