"""Bounded load scenario (SEC-38): log in, list jobs, nearby search, resident look-up by ID, post a job.

Driven by bench/load.py, which prepares the users and tokens (bench/load/fixture.json).
"""

import datetime
import json
import os
import random

from locust import HttpUser, between, task

FIXTURE = json.loads(open(os.environ["JOBCIRCLE_LOAD_FIXTURE"], encoding="utf-8").read())  # noqa: SIM115


class StaffMember(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self):
        self.account = random.choice(FIXTURE["staff"])
        self.auth = {"Authorization": f"Bearer {self.account['token']}"}

    @task(1)
    def log_in(self):
        """The password step of the staff login form (hashing, lockout bookkeeping, code dispatch)."""
        self.client.cookies.clear()
        self.client.get("/accounts/login/", name="login form")
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            "/accounts/login/",
            data={"username": self.account["username"], "password": FIXTURE["password"], "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/accounts/login/"},
            allow_redirects=False, name="log in", catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code == 302 and "/accounts/verify/" in response.headers.get("Location", ""):
                response.success()
            else:
                response.failure(f"login answered {response.status_code}")
        self.client.cookies.clear()  # the half-finished sign-in is not used for the API calls below

    @task(3)
    def list_jobs(self):
        self.client.get("/api/v1/jobs?limit=20", headers=self.auth, name="list jobs")

    @task(5)
    def nearby(self):
        lat, lng = random.choice(FIXTURE["points"])
        self.client.get(f"/api/v1/jobs/nearby?lat={lat}&lng={lng}&limit=20", name="nearby jobs")

    @task(2)
    def look_up_resident(self):
        self.client.post(
            "/api/v1/residents/lookup", json={"id_number": random.choice(self.account["id_numbers"])},
            headers=self.auth, name="resident by ID",
        )  # fmt: skip

    @task(1)
    def post_job(self):
        today = datetime.date.today()
        self.client.post(
            "/api/v1/jobs",
            json={
                "employer_id": random.choice(self.account["employer_ids"]), "title": "仓库理货员",
                "occupation_code": FIXTURE["occupation_code"], "headcount": 2, "pay_min": 3500, "pay_max": 4800,
                "description": "货物分拣、上架与盘点", "requirements": "能适应倒班，会使用手持终端",
                "valid_from": str(today), "valid_until": str(today + datetime.timedelta(days=30)),
            },
            headers=self.auth, name="post job",
        )  # fmt: skip
