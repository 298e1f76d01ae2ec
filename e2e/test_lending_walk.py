"""Lending between neighbours, in a real browser against the real server (demo territory).

Chloé (member of La Prêterie de Rezé) searches the catalogue for a drill near Rezé, opens
« Perceuse à percussion » (Hugo's, collected at his home), sees its availability calendar, asks
for past dates first (refused, what she typed kept), then for today and tomorrow with a message.
Hugo opens his requests and accepts; he confirms he handed the drill over, Chloé confirms she
received it (the loan is then handed over), she confirms she gave it back, Hugo confirms he got it
back (returned), and Chloé leaves a review. The item's iCalendar feed is fetched along the way.

Same rules as the kernel walk (whose `Walk` it reuses): steps run in file order, share one
browser and one server; every page goes through axe, its HTTP status and the console are checked.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from selenium.webdriver.common.by import By

from conftest import leave_anonymous
from test_kernel_walk import Walk

PASSWORD = "maillage-demo"
COOP = "preterie-de-reze"
EMAIL = {who: f"{who}@demo.maillage.coop" for who in ("chloe", "hugo")}
PARIS = ZoneInfo("Europe/Paris")
ITEM = "Perceuse à percussion"
REVIEW = "Perceuse puissante et bien entretenue, Hugo est très arrangeant."

state = {}


class LendingWalk(Walk):
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

    def set_value(self, css, value):
        """Date inputs: typing depends on the browser's locale, so the value is set as a picker would."""
        field = self.el(css)
        self.d.execute_script(
            "arguments[0].value = arguments[1];"
            "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", field, value)
        assert field.get_attribute("value") == value

    def status(self):
        return self.text("#loan-status")

    def press(self, words, label):
        buttons = [b for b in self.els("main .actions button[type=submit]") if b.text.strip() == words]
        assert buttons, f"no button {words!r} on {self.path()}: {[b.text for b in self.els('main button')]}"
        self.submit(buttons[0], label)

    def fetch(self, path):
        return self.d.execute_async_script("""
            const [url, done] = arguments;
            fetch(url).then(async r => done({status: r.status, type: r.headers.get('content-type') || '', text: await r.text()}))
                      .catch(e => done({status: 0, error: String(e)}));""", path)


def today(offset=0):
    return (datetime.now(PARIS) + timedelta(days=offset)).strftime("%Y-%m-%d")


@pytest.fixture(scope="module")
def walk(driver, server, a11y):
    w = LendingWalk(driver, server, a11y)
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


def test_01_borrower_finds_the_drill_and_asks_for_it(walk):
    walk.as_person("chloe")
    walk.open(f"/c/{COOP}/lending", "catalogue")
    assert "La Vitrine Jean-Jaurès" in walk.body(), "the showcase and its hours are shown"
    walk.fill("#q", "perceuse")
    walk.choose("#near", value="Rezé")
    walk.submit_form_of("#q", "search results")
    titles = [a.text.strip() for a in walk.els("main .cards h3 a")]
    assert ITEM in titles, f"the drill is found near Rezé: {titles}"
    link = next(a for a in walk.els("main .cards h3 a") if a.text.strip() == ITEM)
    walk.click_link(link, "the drill")
    assert walk.text("h1") == ITEM
    assert walk.els("table.calendar"), "an availability calendar"
    state["item_path"] = walk.path()
    # a mistake first: past dates are refused and what was typed stays
    walk.set_value("#first_day", today(-3))
    walk.set_value("#last_day", today(-2))
    walk.fill("#message", "Bonjour Hugo, pour fixer des étagères.")
    walk.submit_form_of("#first_day", "request refused", expect=422)
    assert "jours passés" in walk.text("#form-errors")
    assert walk.el("#message").get_attribute("value") == "Bonjour Hugo, pour fixer des étagères." \
        or walk.el("#message").text == "Bonjour Hugo, pour fixer des étagères."
    walk.set_value("#first_day", today(0))
    walk.set_value("#last_day", today(1))
    walk.submit_form_of("#first_day", "loan page")
    assert walk.status() == "demandé"
    assert "Bonjour Hugo, pour fixer des étagères." in walk.body(), "the message opens the thread"
    state["loan_path"] = walk.path()
    walk.finish_step()


def test_02_owner_accepts_and_hands_it_over(walk):
    need("loan_path")
    walk.as_person("hugo")
    walk.open(f"/c/{COOP}/lending/loans", "my loans")
    mine = walk.els("main section")[0]
    link = next(a for a in mine.find_elements(By.CSS_SELECTOR, "a") if a.text.strip() == ITEM
                and a.get_attribute("href").endswith(state["loan_path"]))
    walk.click_link(link, "the request")
    walk.press("Accepter", "accepted")
    assert walk.status() == "accepté"
    walk.press("J’ai remis l’objet", "handed over, owner's side")
    assert walk.status() == "accepté", "one side is not enough"
    walk.finish_step()


def test_03_borrower_confirms_receiving_it_then_giving_it_back(walk):
    need("loan_path")
    walk.as_person("chloe")
    walk.open(state["loan_path"], "loan page")
    walk.press("J’ai reçu l’objet", "received")
    assert walk.status() == "remis à l’emprunteur"
    walk.press("J’ai rendu l’objet", "given back, borrower's side")
    assert walk.status() == "remis à l’emprunteur"
    feed = walk.fetch(state["item_path"] + "/availability.ics")
    assert feed["status"] == 200 and feed["type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in feed["text"] and f"DTSTART;VALUE=DATE:{today(0).replace('-', '')}" in feed["text"]
    assert "Chloé" not in feed["text"], "the public feed names no borrower"
    walk.finish_step()


def test_04_owner_confirms_the_return(walk):
    need("loan_path")
    walk.as_person("hugo")
    walk.open(state["loan_path"], "loan page")
    walk.press("J’ai récupéré l’objet", "returned")
    assert walk.status() == "rendu"
    walk.finish_step()


def test_05_borrower_leaves_a_review(walk):
    need("loan_path")
    walk.as_person("chloe")
    walk.open(state["loan_path"], "loan page")
    walk.choose("#rating", value="5")
    walk.fill("#text", REVIEW)
    walk.submit_form_of("#rating", "reviewed")
    assert REVIEW in walk.body()
    assert not walk.els("#rating"), "one review per side"
    walk.finish_step()
