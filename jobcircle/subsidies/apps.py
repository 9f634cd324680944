from django.apps import AppConfig


class SubsidiesConfig(AppConfig):
    name = "jobcircle.subsidies"
    verbose_name = "就业补贴"

    def ready(self):
        # local import: models are ready only now; assistance (a lower layer) calls the ledger writer it is given
        from jobcircle.assistance.welfare.services import register_ledger_writer

        from .welfare import write_welfare_payments  # local import: models are ready only now

        register_ledger_writer(write_welfare_payments)
