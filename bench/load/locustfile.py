"""The load scenario (issue 13, item 7): readers browse while doctors submit and edit their ratings.

Run by bench/load.py, which prepares the site and the doctors and checks the database afterwards; it can
also run by itself against a prepared site:

    locust -f bench/load/locustfile.py --headless --host https://127.0.0.1:8443 -u 80 -r 20 -t 2m

- `Reader`: the home page, the catalogue (sorted, paged, filtered), product pages, comparisons of two or
  three tools of a category, the rankings and a category's ranking; anonymous, as most readers are.
- `Doctor`: one of the prepared doctors (LOAD_DOCTORS, a JSON file of e-mail, password, source address
  and tools to rate), who signs in, then rates each of their tools and, later, edits the rating. Each
  doctor connects from an address of its own on loopback (127.0.1.x), as doctors do from their
  practices: the per-address sign-in limit then applies to each of them, not to all at once.

A rating counts as acknowledged when the site answers the form with the redirection that follows a
recorded rating; every acknowledged rating (the last one of each tool) is written to LOAD_ACKS (JSON)
when the run stops, for bench/load.py to compare with the database.
"""

import itertools
import json
import os
import random
import re
import sys
import threading
from pathlib import Path

import urllib3
from locust import HttpUser, between, events, task
from requests.adapters import HTTPAdapter

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from analytics.core import constants  # noqa: E402

FACETS = list(constants.FACETS)  # the pure core's constants: no Django in locust's process
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)  # the bench's own certificate

_prepared = json.loads(open(os.environ["LOAD_PLAN"]).read()) if os.environ.get("LOAD_PLAN") else None
_doctors = iter(_prepared["doctors"]) if _prepared else iter(())
_doctors_lock = threading.Lock()
# (doctor e-mail, product slug) -> the answers of the last rating the site acknowledged.
acknowledged = {}
counters = {"submitted": 0, "edited": 0, "refused": 0}


class SourceAddressAdapter(HTTPAdapter):
    """Connect from a given local address (a doctor's own address on loopback)."""

    def __init__(self, address, **kwargs):
        self.address = address
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def _token(html):
    found = CSRF.search(html)
    return found.group(1) if found else ""


class Reader(HttpUser):
    weight = 3
    wait_time = between(0.5, 2)

    def on_start(self):
        self.client.verify = False
        self.pages = _prepared["pages"]

    @task(2)
    def home(self):
        self.client.get("/", name="home")

    @task(3)
    def catalogue(self):
        query = random.choice(["", "?sort=name", "?sort=-score&page=2", "?q=agenda", "?sort=score"])
        self.client.get("/outils/" + query, name="catalogue")

    @task(5)
    def product(self):
        self.client.get(random.choice(self.pages["products"]), name="product")

    @task(2)
    def comparison(self):
        self.client.get(random.choice(self.pages["comparisons"]), name="comparison")

    @task(1)
    def rankings(self):
        self.client.get(random.choice(self.pages["rankings"]), name="rankings")


class Doctor(HttpUser):
    """A doctor rating their tools, then coming back to change a rating. Exactly one locust user per doctor."""

    weight = 1
    fixed_count = int(os.environ.get("LOAD_DOCTOR_USERS", "50"))
    wait_time = between(1, 3)

    def on_start(self):
        with _doctors_lock:
            self.doctor = next(_doctors, None)
        if self.doctor is None:
            self.stop()
            return
        self.client.verify = False
        adapter = SourceAddressAdapter(self.doctor["address"])
        self.client.mount("https://", adapter)
        self.client.mount("http://", adapter)
        self.campaign = _prepared["campaign"]
        self.rounds = itertools.cycle(self.doctor["products"])
        page = self.client.get("/compte/connexion/", name="sign-in form")
        signed_in = self.client.post(
            "/compte/connexion/",
            data={
                "csrfmiddlewaretoken": _token(page.text),
                "username": self.doctor["email"],
                "password": self.doctor["password"],
            },
            headers={"Referer": self.host + "/compte/connexion/"},
            allow_redirects=False,
            name="sign in",
        )
        if signed_in.status_code != 302:
            raise RuntimeError(f"{self.doctor['email']} could not sign in: {signed_in.status_code}")

    @task
    def rate(self):
        slug = next(self.rounds)
        url = f"/enquete/{self.campaign}/outils/{slug}/"
        form = self.client.get(url, name="rating form")
        if form.status_code != 200:
            return
        answers = {facet: str(random.randint(1, 5)) for facet in FACETS}
        answers["recommend"] = str(random.randint(0, 10))
        key = f"{self.doctor['email']} {slug}"
        edit = key in acknowledged
        with self.client.post(
            url,
            data={"csrfmiddlewaretoken": _token(form.text), "action": "submit", **answers},
            headers={"Referer": self.host + url},
            allow_redirects=False,
            name="rating (edit)" if edit else "rating (first)",
            catch_response=True,
        ) as answer:
            if answer.status_code == 302:
                acknowledged[key] = answers
                counters["edited" if edit else "submitted"] += 1
                answer.success()
            else:
                counters["refused"] += 1
                answer.failure(f"not recorded: {answer.status_code}")


@events.test_stop.add_listener
def _write_acknowledged(environment, **kwargs):
    path = os.environ.get("LOAD_ACKS")
    if path:
        with open(path, "w") as out:
            json.dump({"acknowledged": acknowledged, "counters": counters}, out)
