"""Solidarity transport, in a real browser against the real server (demo territory).

Samir coordinates Roulons Ensemble Estuaire's solidarity transport. On the phone with Jeanne, who
has no car, he registers her with the eligibility form (the required box left unticked first,
refused with what was typed kept), accepts her, and records her request: next Tuesday morning,
Savenay → Nantes. The matcher proposes two volunteers (Ursule and Théo; Victor is paused); Samir
asks both. Ursule follows her notice and accepts the trip, then sees whom to call. Samir records
the trip as done, which pays the mileage allowance; Ursule finds it on her yearly statement.

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
BASE = f"/c/{COOP}/carpool/solidarity"
EMAIL = {who: f"{who}@demo.maillage.coop" for who in ("samir", "ursule", "theo")}

state = {}


class SolidarityWalk(Walk):
    who = None

    def as_person(self, who):
        if self.who == who and self.logged_in():
            return
        self.who = None
        if not self.d.current_url.startswith(self.base):
            self.open("/", "directory")
        if self.logged_in():
            self.log_out()
        self.log_in(EMAIL[who], PASSWORD, f"{who}'s account")
        assert self.logged_in(), f"{who} could not log in"
        self.who = who

    def notices(self):
        self.open("/account", f"{self.who}'s notices")
        return [(li.text, li.find_element(By.CSS_SELECTOR, "a").get_attribute("href")) for li in self.els("ul.inbox > li")]


@pytest.fixture(scope="module")
def walk(driver, server, a11y):
    w = SolidarityWalk(driver, server, a11y)
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


def next_tuesday():
    day = datetime.date.today() + datetime.timedelta(days=1)
    while day.isoweekday() != 2:
        day += datetime.timedelta(days=1)
    return day


def test_01_a_coordinator_registers_a_person_with_the_eligibility_form(walk):
    walk.as_person("samir")
    walk.open(BASE, "solidarity desk")
    walk.click_link(walk.el(f"a[href='{BASE}/beneficiaries/new']"), "register a person")
    walk.fill("#name", "Jeanne Martin")
    walk.fill("#phone", "02 40 11 22 33")
    walk.choose("#commune", value="Savenay")
    walk.choose("#situation", value="Personne âgée")
    walk.submit_form_of("#name", "registration refused", expect=422)
    assert walk.el("#name").get_attribute("value") == "Jeanne Martin", "what was typed is kept"
    assert "Cette case doit être cochée" in walk.body(), walk.body()
    walk.el("#no_car").click()
    walk.submit_form_of("#name", "the person's record")
    assert walk.text("h1") == "Jeanne Martin"
    walk.choose("#decision", value="accept")
    walk.submit_form_of("#decision", "the record after the decision")
    assert walk.last_notice == "Demande acceptée.", walk.last_notice
    state["person"] = walk.path()
    walk.finish_step()


def test_02_the_request_gets_two_proposals_and_both_are_asked(walk):
    need("person")
    walk.as_person("samir")
    walk.open(state["person"], "Jeanne's record")
    walk.choose("#reason", value="Rendez-vous médical")
    walk.fill("#destination", "Clinique Jules-Verne")
    walk.choose("#destination_commune", value="Nantes")
    walk.set_value("#date", next_tuesday().isoformat())
    walk.choose("#period", value="morning")
    walk.fill("#back", "+2h")
    walk.submit_form_of("#destination", "the request")
    assert "Demande de Jeanne Martin" in walk.text("h1")
    proposed = walk.els("input[name=volunteer][type=checkbox]")
    labels = walk.text("form[action$='/ask']")
    assert len(proposed) == 2 and "Ursule" in labels and "Théo" in labels and "Victor" not in labels, labels
    for box in proposed:
        box.click()
    walk.submit_form_of("input[name=volunteer][type=checkbox]", "the request after asking")
    state["request"] = walk.path()
    walk.finish_step()


def test_03_a_volunteer_accepts_from_the_notification(walk):
    need("request")
    walk.as_person("ursule")
    told = [n for n in walk.notices() if "Transport solidaire" in n[0]]
    assert told, [n[0] for n in walk.notices()]
    walk.d.get(told[0][1])
    walk.arrived("the trip from the notice")
    assert "02 40 11 22 33" not in walk.body(), "no phone before accepting"
    walk.submit(walk.el("form[action$='/accept'] button"), "the trip accepted")
    assert walk.last_notice.startswith("Merci ! Le trajet est à vous"), walk.last_notice
    assert "02 40 11 22 33" in walk.body() and "Jeanne Martin" in walk.body()
    walk.finish_step()


def test_04_the_trip_is_done_and_the_allowance_is_on_the_statement(walk):
    need("request")
    walk.as_person("samir")
    walk.open(state["request"].split("?")[0], "the request")
    walk.fill("#km", "80")
    walk.submit_form_of("#km", "the request after the trip")
    assert walk.last_notice == "Trajet effectué, indemnité versée.", walk.last_notice
    assert "Effectuée" in walk.body()

    walk.as_person("ursule")
    walk.open(f"{BASE}/statement/{next_tuesday().year}", "Ursule's statement")
    rows = walk.text("table tbody")
    assert next_tuesday().isoformat() in rows and "25,60" in rows, rows
    walk.finish_step()
