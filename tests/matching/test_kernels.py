"""The compiled loops (kernels.py): loaded only where the batch runs."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_web_application_and_the_interactive_matching_do_not_load_numba():
    """Web processes never run the batch; Numba costs each of them about 100 MB and 0.3 s to import."""
    code = (
        "import sys, django; django.setup(); import config.urls, jobcircle.matching.services, jobcircle.matching.push; "
        "print('numba' in sys.modules)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.dev")}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"
