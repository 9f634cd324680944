from django.db import models


class ApplicationStatus(models.TextChoices):
    """Where an application stands. Only "applied" exists yet; the pipeline issue adds the rest."""

    APPLIED = "applied", "已投递"
