"""A partner operator's journeys shown beside ours, between two real Maillage instances.

Two instances run the demo territory: ours (A) and a partner operator's (B, its own port and
database). B's operators make a key for us on the command line (`maillage carpool partner-key`).
Théo (board of Roulons Ensemble Estuaire on A) adds B on the partners page under « Opérateurs
interrogés » (a wrong address first, refused in French): its key is kept and only its end is
shown. Yasmine, a member of A, searches Gare de Saint-Nazaire → Gare de Nantes next Tuesday at
07:15: our own rides are counted and listed, and B's journey appears apart, under « Aussi sur … »,
with a link to its page on B, which she follows. Théo pauses B: the search no longer asks it.
"""

import os
import re
import subprocess

import pytest
from selenium.webdriver.common.by import By

from conftest import DEFAULT_BIN
from test_carpool_walk import BASE, COOP, PASSWORD, CarpoolWalk, next_tuesday

PARTNER = "Covoit’ de l’Estuaire"
FROM, TO = "Gare de Saint-Nazaire (Saint-Nazaire)", "Gare de Nantes, sortie nord (Nantes)"
state = {}


class PartnerJourneysWalk(CarpoolWalk):
    def as_person(self, who):
        if self.who == who and self.logged_in():
            return
        self.who = None
        if not self.d.current_url.startswith(self.base):
            self.open("/", "directory")
        self.log_in(f"{who}@demo.maillage.coop", PASSWORD, f"{who}'s account")
        assert self.logged_in(), f"{who} could not log in"
        self.who = who

    def search(self, label):
        self.open(BASE, "carpool search")
        self.choose("#from", text=FROM)
        self.choose("#to", text=TO)
        self.set_value("#date", next_tuesday())
        self.set_value("#time", "07:15")
        self.choose("#looking_for", value="driver")
        self.submit_form_of("#from", label)


@pytest.fixture(scope="module")
def walk(driver, server, a11y):
    return PartnerJourneysWalk(driver, server, a11y)


def test_01_the_partner_makes_us_a_key_on_its_command_line(partner_server):
    binary = os.environ.get("MAILLAGE_BIN", DEFAULT_BIN)
    made = subprocess.run([binary, "carpool", "partner-key", "--cooperative", COOP, "Maillage de l’estuaire"],
                          env={**os.environ, "DATABASE_URL": partner_server.database}, capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr[-2000:]
    match = re.search(r"mlc_[A-Za-z0-9_-]+", made.stdout)
    assert match, made.stdout
    state["key"] = match.group(0)


def test_02_board_adds_the_partner_its_key_never_shown_again(walk, partner_server):
    assert "key" in state, "needs the partner's key"
    walk.as_person("theo")
    walk.open(f"{BASE}/partners", "partner operators")
    assert "Opérateurs interrogés" in walk.text("#operators h2")
    walk.fill("#operator_name", PARTNER)
    walk.fill("#operator_url", "ftp://covoit.example.org")
    walk.fill("#operator_key", state["key"])
    walk.submit_form_of("#operator_url", "a wrong address", expect=422)
    assert "Donnez l’adresse complète de son API" in walk.body()
    assert state["key"] not in walk.d.page_source, "the key typed is not written back into the page"
    assert walk.el("#operator_name").get_attribute("value") == PARTNER, "what was typed is kept"
    walk.fill("#operator_url", f"{partner_server.base}/c/{COOP}/carpool/standard")
    walk.fill("#operator_key", state["key"])
    walk.submit_form_of("#operator_url", "partner operator added")
    assert walk.last_notice and PARTNER in walk.last_notice, walk.last_notice
    row = walk.text("#operators table tbody tr")
    assert PARTNER in row and "…" + state["key"][-4:] in row and "Interrogé" in row, row
    assert state["key"] not in walk.d.page_source, "the key is never shown back in full"
    walk.finish_step()


def test_03_a_member_sees_the_partners_journey_apart_and_follows_its_link(walk, partner_server):
    walk.as_person("yasmine")
    walk.search("search results with a partner")
    ours = walk.text("main section[aria-live] h2")
    assert re.match(r"\d+ trajets? trouvés?", ours), ours
    assert any("07:15 · Gare de Saint-Nazaire → Gare de Nantes, sortie nord" in c.text
               for c in walk.els("main section[aria-live] li.card")), "our own ride is listed"
    section = walk.el("main section.partner-journeys")
    assert section.find_element(By.CSS_SELECTOR, "h2").text == f"Aussi sur {PARTNER}"
    cards = section.find_elements(By.CSS_SELECTOR, "li.card")
    card = next((c for c in cards if "07:15 · Gare de Saint-Nazaire → Gare de Nantes, sortie nord" in c.text), None)
    assert card is not None, [c.text for c in cards]
    assert "places libres" in card.text, card.text
    link = card.find_element(By.CSS_SELECTOR, "a[rel~='external']")
    href = link.get_attribute("href")
    assert href.startswith(f"{partner_server.base}/c/{COOP}/carpool/ads/"), href
    assert "n’a pas répondu" not in walk.body()
    walk.click_link(link, "the journey on the partner's site")
    assert walk.d.current_url.startswith(partner_server.base), walk.d.current_url
    assert "Gare de Saint-Nazaire" in walk.text("h1")
    walk.d.back()
    walk.arrived("back to the search")
    walk.finish_step()


def test_04_a_paused_partner_is_not_asked(walk):
    walk.as_person("theo")
    walk.open(f"{BASE}/partners", "partner operators")
    pause = walk.el("#operators table tbody tr form button")
    assert pause.text == "Mettre en pause", pause.text
    walk.submit(pause, "partner paused")
    assert "En pause" in walk.text("#operators table tbody tr")
    walk.search("search results, partner paused")
    assert not walk.els("main section.partner-journeys")
    assert PARTNER not in walk.body()
    walk.finish_step()


def test_05_every_page_went_through_axe(walk):
    assert not walk.a11y.found, walk.a11y.format(walk.a11y.found)
