"""Carpool communities and alerts, in a real browser against the real server (demo territory).

Samir (board of Roulons Ensemble Estuaire) creates a community whose managers accept each request
(a name too short first, kept with what was typed). Yasmine asks to join; Samir is told in his
notices, accepts her from the community's page, and she is listed. Alice saves an alert
Saint-Nazaire → Nantes around 8:00 (the same departure and arrival first, refused); Victor
publishes a ride that matches; Alice is told in her notices, follows the notice to the ride, then
pauses her alert and deletes it, which asks first.

Same rules as the kernel walk (whose `Walk` it reuses): steps run in file order, share one
browser and one server; every page goes through axe, its HTTP status and the console are checked.
"""

import datetime

import pytest
from selenium.webdriver.common.by import By

from conftest import leave_anonymous
from test_kernel_walk import Walk

PASSWORD = "maillage-demo"
COOP = "roulons-ensemble-estuaire"
BASE = f"/c/{COOP}/carpool"
EMAIL = {who: f"{who}@demo.maillage.coop" for who in ("samir", "yasmine", "alice", "victor")}
COMMUNITY = "Chantiers de l’Atlantique"

state = {}


class CarpoolWalk(Walk):
    who = None

    def as_person(self, who):
        if self.who == who and self.logged_in():
            return
        self.who = None
        if not self.d.current_url.startswith(self.base):
            self.open("/", "directory")
        self.log_in(EMAIL[who], PASSWORD, f"{who}'s account")
        assert self.logged_in(), f"{who} could not log in"
        self.who = who

    def notices(self):
        """The person's notices, on their account page: [(text, unread, href)]."""
        self.open("/account", f"{self.who}'s notices")
        return [(li.text, "unread" in (li.get_attribute("class") or ""), li.find_element(By.CSS_SELECTOR, "a").get_attribute("href"))
                for li in self.els("ul.inbox > li")]


@pytest.fixture(scope="module")
def walk(driver, server, a11y):
    w = CarpoolWalk(driver, server, a11y)
    yield w
    leave_anonymous(driver, server)


@pytest.fixture(autouse=True)
def _fresh_step(walk):
    walk.problems = []
    walk.axe_mark = len(walk.a11y.found)
    yield


def need(*keys):
    missing = [k for k in keys if k not in state]
    if missing:
        pytest.skip(f"an earlier step did not get {', '.join(missing)}")


def test_01_the_board_creates_a_community(walk):
    walk.as_person("samir")
    walk.open(BASE, "carpool search")
    walk.click_link(walk.el(f"a[href='{BASE}/communities']"), "communities")
    walk.fill("#name", "C")
    walk.choose("#joining", value="approval")
    walk.submit_form_of("#name", "communities (name refused)", expect=422)
    assert "2 à 80 caractères" in walk.text("#name-error"), walk.body()
    assert walk.el("#joining").get_attribute("value") == "approval", "the choice is kept"
    walk.fill("#name", COMMUNITY)
    walk.fill("#description", "Salariés et sous-traitants du site de Penhoët.")
    walk.submit_form_of("#name", "the new community")
    assert walk.last_notice == "Communauté créée.", walk.last_notice
    assert walk.text("h1") == COMMUNITY
    assert "Vous gérez cette communauté" in walk.body()
    state["community"] = walk.path()
    walk.finish_step()


def test_02_a_member_asks_and_a_manager_accepts(walk):
    need("community")
    walk.as_person("yasmine")
    walk.open(state["community"], "the community (yasmine)")
    walk.submit(walk.el(f"form[action='{state['community']}/join'] button"), "the community after asking")
    assert walk.last_notice == "Demande envoyée aux responsables.", walk.last_notice
    assert "Votre demande attend une réponse" in walk.body()

    walk.as_person("samir")
    told = [n for n in walk.notices() if "demande à rejoindre" in n[0] and COMMUNITY in n[0]]
    assert told, [n[0] for n in walk.notices()]
    walk.d.get(told[0][2])
    walk.arrived("the community from the notice")
    accept = walk.el("section[aria-labelledby=waiting] form[action$='/approve'] button")
    assert "Yasmine" in accept.get_attribute("aria-label"), accept.get_attribute("aria-label")
    walk.submit(accept, "the community after accepting")
    assert walk.last_notice == "Demande acceptée.", walk.last_notice
    members = walk.text("section[aria-labelledby=people]")
    assert "Yasmine" in members and "(responsable)" in members, members
    walk.finish_step()


def test_03_an_alert_tells_of_a_matching_ride(walk):
    walk.as_person("alice")
    walk.open(f"{BASE}/alerts?from=commune:Saint-Nazaire&to=commune:Saint-Nazaire", "alerts")
    walk.set_value("#time", "08:00")
    walk.submit_form_of("#time", "alerts (same place refused)", expect=422)
    assert "même endroit" in walk.body()
    walk.choose("#to", value="commune:Nantes")
    walk.fill("#margin", "30")
    walk.submit_form_of("#time", "alerts after saving")
    assert walk.last_notice == "Alerte créée.", walk.last_notice
    assert "Saint-Nazaire → Nantes" in walk.text("ul.cards"), walk.body()

    walk.as_person("victor")
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    walk.open(f"{BASE}/new", "publish a ride")
    walk.choose("#role", value="driver")
    walk.choose("#from", value="commune:Saint-Nazaire")
    walk.choose("#to", value="commune:Nantes")
    walk.choose("#frequency", value="punctual")
    walk.set_value("#date", tomorrow)
    walk.set_value("#time", "08:10")
    walk.submit_form_of("#role", "the ride published")
    state["ride"] = walk.path()

    walk.as_person("alice")
    told = [n for n in walk.notices() if "Nouveau trajet pour votre alerte" in n[0]]
    assert len(told) == 1, [n[0] for n in walk.notices()]
    walk.d.get(told[0][2])
    walk.arrived("the ride from the alert's notice")
    assert walk.path().split("?")[0] == state["ride"].split("?")[0], (walk.path(), state["ride"])
    walk.finish_step()


def test_04_the_alert_is_paused_then_deleted_after_a_question(walk):
    walk.as_person("alice")
    walk.open(f"{BASE}/alerts", "alerts")
    walk.submit(walk.el("ul.cards form[action$='/pause'] button"), "alerts after pausing")
    assert walk.last_notice == "Alerte en pause.", walk.last_notice
    assert "en pause" in walk.text("ul.cards")
    walk.click_link(walk.el("ul.cards a.danger"), "the question before deleting")
    assert "Avant de confirmer" in walk.body()
    walk.submit(walk.el("div.confirm ~ form button.danger"), "alerts after deleting")
    assert walk.last_notice == "Alerte supprimée.", walk.last_notice
    assert "Vous n’avez pas encore d’alerte." in walk.body()
    walk.finish_step()
