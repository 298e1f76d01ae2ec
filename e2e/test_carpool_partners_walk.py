"""A partner operator gets a key for the standard covoiturage API, uses it, and loses it.

Théo (board of Roulons Ensemble Estuaire) goes from the carpool settings to the partner operators,
makes a key for « Covoit’ Voisins » (a name too long first, refused in French), and reads it once in
the confirmation. The partner's program searches the driver journeys with it (and is refused
without it), then Théo revokes it after the confirmation page says what it does: the same search
is refused. Yasmine, a plain member, cannot open the partners page.
"""

import json
import re
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from selenium.webdriver.common.by import By

from test_carpool_walk import BASE, PASSWORD, CarpoolWalk

PARIS = ZoneInfo("Europe/Paris")
state = {}


class PartnersWalk(CarpoolWalk):
    def as_person(self, who):
        if self.who == who and self.logged_in():
            return
        self.who = None
        if not self.d.current_url.startswith(self.base):
            self.open("/", "directory")
        self.log_in(f"{who}@demo.maillage.coop", PASSWORD, f"{who}'s account")
        assert self.logged_in(), f"{who} could not log in"
        self.who = who


@pytest.fixture(scope="module")
def walk(driver, server, a11y):
    return PartnersWalk(driver, server, a11y)


def journeys(base, key):
    """The partner's search: Saint-Nazaire → Nantes, tomorrow 07:30, a day either side."""
    when = int((datetime.now(PARIS) + timedelta(days=1)).replace(hour=7, minute=30, second=0).timestamp())
    query = (f"departureLat=47.2735&departureLng=-2.2138&arrivalLat=47.2184&arrivalLng=-1.5536&departureDate={when}"
             "&timeDelta=86400&departureRadius=20&arrivalRadius=20")
    request = urllib.request.Request(f"{base}{BASE}/standard/driver_journeys?{query}", headers={"X-API-Key": key} if key else {})
    try:
        with urllib.request.urlopen(request, timeout=20) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_01_board_makes_a_key_shown_once(walk):
    walk.as_person("theo")
    walk.open(f"{BASE}/settings", "carpool settings")
    walk.click_link(walk.d.find_element(By.CSS_SELECTOR, f"a[href='{BASE}/partners']"), "partner operators")
    walk.fill("#name", "Un nom bien trop long " * 4)
    walk.submit_form_of("#name", "a name too long", expect=422)
    assert "Donnez le nom de l’opérateur partenaire" in walk.body()
    walk.fill("#name", "Covoit’ Voisins")
    walk.submit_form_of("#name", "key created", reload=False)
    match = re.search(r"mlc_[A-Za-z0-9_-]+", walk.last_notice or "")
    assert match, f"the key is shown once: {walk.last_notice!r}"
    state["key"] = match.group(0)
    walk.d.refresh()
    walk.arrived("partners (reloaded)")
    assert "mlc_" not in walk.body(), "the key is not shown again"
    assert "Covoit’ Voisins" in walk.body()
    walk.finish_step()


def test_02_the_partner_searches_with_its_key_only(walk):
    status, found = journeys(walk.base, state["key"])
    assert status == 200 and isinstance(found, list), (status, found)
    assert all(" " not in j["operator"] and "/" not in j["operator"] for j in found)
    status, refused = journeys(walk.base, None)
    assert status == 401 and refused.get("error") == "unauthorized", (status, refused)


def test_03_revoked_after_a_confirmation(walk):
    walk.as_person("theo")
    walk.open(f"{BASE}/partners", "partner operators")
    walk.click_link(walk.d.find_element(By.CSS_SELECTOR, "a.button.danger"), "revoke question")
    assert "Covoit’ Voisins" in walk.text("h1")
    walk.submit(walk.d.find_element(By.CSS_SELECTOR, "form button.danger"), "key revoked")
    assert "Révoquée" in walk.body()
    status, _ = journeys(walk.base, state["key"])
    assert status == 401
    walk.finish_step()


def test_04_a_plain_member_cannot_manage_partners(walk):
    walk.as_person("yasmine")
    walk.open(f"{BASE}/partners", "partners as a member", expect=403)
    walk.finish_step()
