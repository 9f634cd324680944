from django.apps import AppConfig


class HouseholdsConfig(AppConfig):
    name = "jobcircle.households"
    label = "households"
    verbose_name = "家庭户与零就业家庭"

    def ready(self):
        # local import: the ledger joins the assistance import gate once every app is loaded
        from .imports import register_household_ledger

        register_household_ledger()
