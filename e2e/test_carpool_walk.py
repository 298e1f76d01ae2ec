"""A regular commute shared, in a real browser against the real server (demo territory).

Victor (member of Roulons Ensemble Estuaire) publishes a regular trip through the form: Monday to
Friday, 07:30 from « Gare de Saint-Nazaire » to « Parking relais de la Haluchère », with his phone
(a mistake first: the same place for departure and arrival, refused in French with what he typed
kept). Yasmine, with the browser's JavaScript turned off, searches Saint-Nazaire → Nantes next
Tuesday around 07:40, finds his ride (the card says the detour and the free seats), opens it and
asks for a seat; his phone is not shown yet. Victor is told (by mail and in his notices), follows
the notice to the request and accepts; Yasmine then sees his phone and address, and they write to
each other under the request, next to the warning about payment scams. The search results, the ride
and the request are then looked at 390 px wide (kept in `artifacts/carpool/`).

Same rules as the kernel walk (whose `Walk` it reuses): steps run in file order, share one
browser and one server; every page goes through axe, its HTTP status and the console are checked.
"""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from conftest import ARTIFACTS, leave_anonymous
from test_kernel_walk import Walk
from test_phone_walk import MEASURE

PASSWORD = "maillage-demo"
COOP = "roulons-ensemble-estuaire"
BASE = f"/c/{COOP}/carpool"
EMAIL = {who: f"{who}@demo.maillage.coop" for who in ("victor", "yasmine")}
PARIS = ZoneInfo("Europe/Paris")
FROM, TO = "Gare de Saint-Nazaire", "Parking relais de la Haluchère"
PHONE = "06 98 76 54 32"
COMMENT = "Je travaille à la Haluchère, retour vers 17 h 30 selon les jours."
ASK = "Bonjour Victor, je vous attendrai devant l’entrée principale de la gare à 7 h 25."
ANSWER = "Très bien Yasmine : une Zoé bleue, je klaxonne une fois."
PHONE_WIDTH, PHONE_HEIGHT = 390, 844
SHOTS = ARTIFACTS / "carpool"

state = {}


def next_tuesday():
    """The first Tuesday after today (never today: its 07:30 may be past)."""
    today = datetime.now(PARIS).date()
    return (today + timedelta(days=(1 - today.weekday()) % 7 or 7)).isoformat()


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

    def javascript(self, on):
        """Turns the page's scripts on or off, as a person's browser setting does. axe needs
        scripts: the pages reached meanwhile are noted, and checked by axe once they are back on
        (each is a page fetched with GET, so it can be opened again)."""
        self.d.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": not on})
        if not on:
            self.a11y = _Later(self.a11y, self.d)
            return
        if isinstance(self.a11y, _Later):
            seen, self.a11y = self.a11y.pages_seen, self.a11y.real
            for url, label in dict((url, label) for label, url in seen).items():
                self.d.get(url)
                self.arrived(label + " (axe, scripts back on)")

    def page_scripts(self):
        """The page's own scripts: none, so nothing is missing when a browser runs none."""
        return self.d.execute_script("return document.scripts.length")

    def fill_weekdays(self, times):
        for day, (outward, back) in times.items():
            self.set_value(f"#out_{day}", outward)
            if back:
                self.set_value(f"#back_{day}", back)

    def press(self, words, label, expect=200):
        buttons = [b for b in self.els("main .actions button[type=submit]") if b.text.strip() == words]
        assert buttons, f"no button {words!r} on {self.path()}: {[b.text for b in self.els('main button')]}"
        return self.submit(buttons[0], label, expect)

    def write(self, text, label):
        self.fill("section.thread textarea#body", text)
        self.submit(self.el("section.thread form[action$='/messages'] button[type=submit]"), label)
        assert self.last_notice == "Message envoyé.", self.last_notice

    def thread_texts(self):
        return [li.text for li in self.els("ul.thread > li")]

    def notices(self):
        """The person's notices, on their account page: [(text, unread, href)]."""
        self.open("/account", f"{self.who}'s notices")
        out = []
        for li in self.els("ul.inbox > li"):
            links = li.find_elements("css selector", "a")
            out.append((li.text, "unread" in (li.get_attribute("class") or ""), links[0].get_attribute("href") if links else ""))
        return out

    def look_at_phone_width(self, path, label):
        """Opens `path` 390 px wide, keeps its first screens and notes what does not fit."""
        self.open(path, f"{label} (390 px)")
        SHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^a-z0-9-]+", "-", label.lower()).strip("-")
        height, screen = self.d.execute_script("return [document.documentElement.scrollHeight, window.innerHeight]")
        for n in range(min(4, -(-height // screen))):
            self.d.execute_script("window.scrollTo(0, arguments[0])", n * screen)
            self.d.save_screenshot(str(SHOTS / f"{name}-{n + 1}.png"))
        self.d.execute_script("window.scrollTo(0, 0)")
        for problem in self.d.execute_script(MEASURE):
            self.problems.append(f"{label} ({path}) at 390 px: {problem}")


class _Later:
    """Stands in for the axe checker while the page's scripts are off: notes each page reached."""

    def __init__(self, real, driver):
        self.real, self.d, self.pages_seen = real, driver, []

    @property
    def found(self):
        return self.real.found

    def check(self, label):
        self.pages_seen.append((label, self.d.current_url))
        return []


@pytest.fixture(scope="module")
def walk(driver, server, a11y):
    w = CarpoolWalk(driver, server, a11y)
    yield w
    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
    driver.set_window_size(1280, 1000)
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


WEEK = {day: ("07:30", "17:30") for day in range(1, 6)}


def test_01_driver_publishes_a_regular_trip(walk):
    walk.as_person("victor")
    walk.open(BASE, "carpool")
    walk.click_link(walk.el(f"main a.button[href='{BASE}/new']"), "publish a ride")
    walk.choose("#role", value="driver")
    walk.choose("#from", text=f"{FROM} (Saint-Nazaire)")
    # a mistake first: the arrival is the departure
    walk.choose("#to", text=f"{FROM} (Saint-Nazaire)")
    walk.choose("#frequency", value="regular")
    walk.fill_weekdays(WEEK)
    walk.fill("#phone", PHONE)
    walk.fill("#comment", COMMENT)
    walk.submit_form_of("#comment", "ride refused", expect=422)
    errors = walk.text("#form-errors")
    assert "Le départ et l’arrivée sont au même endroit." in errors, errors
    # what he typed is all there
    assert walk.el("#frequency").get_attribute("value") == "regular"
    assert walk.el("#from").get_attribute("value") == walk.el("#to").get_attribute("value") != ""
    for day, (outward, back) in WEEK.items():
        assert walk.el(f"#out_{day}").get_attribute("value") == outward, f"out_{day}"
        assert walk.el(f"#back_{day}").get_attribute("value") == back, f"back_{day}"
    assert walk.el("#out_6").get_attribute("value") == "" and walk.el("#out_7").get_attribute("value") == ""
    assert walk.el("#phone").get_attribute("value") == PHONE
    assert walk.el("#comment").get_attribute("value") == COMMENT
    walk.choose("#to", text=f"{TO} (Nantes)")
    walk.submit_form_of("#comment", "the published ride")
    assert walk.last_notice == "Trajet publié.", walk.last_notice
    assert walk.text("h1") == f"{FROM} → {TO}"
    figures = walk.text("main dl.figures")
    assert "trajet régulier" in figures and "Places offertes\n3" in figures, figures
    assert COMMENT in walk.body()
    days = walk.text("main table.stack")
    assert "07:30" in days and "Aller" in days and "Retour" in days, days
    assert "Aucune demande pour l’instant." in walk.body()
    state["ad_path"] = walk.path()
    walk.finish_step()


def test_02_passenger_finds_it_without_javascript_and_asks(walk):
    need("ad_path")
    walk.as_person("yasmine")
    walk.javascript(False)
    tuesday = next_tuesday()
    walk.open(BASE, "carpool search (no JavaScript)")
    walk.choose("#from", value="commune:Saint-Nazaire")
    walk.choose("#to", value="commune:Nantes")
    walk.set_value("#date", tuesday)
    walk.set_value("#time", "07:40")
    walk.choose("#looking_for", value="driver")
    walk.submit_form_of("#from", "search results")
    assert walk.page_scripts() == 0
    assert re.match(r"\d+ trajets? trouvés?", walk.text("main section h2")), walk.text("main section h2")
    cards = [c for c in walk.els("main ul.cards > li.card") if f"07:30 · {FROM} → {TO}" in c.text]
    assert len(cards) == 1, [c.text for c in walk.els("main ul.cards > li.card")]
    card = cards[0].text
    assert "trajet régulier" in card and "3 places libres" in card, card
    assert re.search(r"Détour : \d+,\d km / \d+ min", card), card
    assert "Victor" not in card, "the search names nobody"
    state["search_path"] = walk.path()
    walk.click_link(cards[0].find_element("css selector", "h3 a"), "the ride (no JavaScript)")
    assert walk.path().split("?")[0] == state["ad_path"]
    assert "Victor Lambert" in walk.text("main dl.figures"), "a member sees who drives"
    assert PHONE not in walk.body() and EMAIL["victor"] not in walk.body(), "no contact before an accepted request"
    # the day searched is the one offered
    assert walk.el("#travel").get_attribute("value") == f"{tuesday}/outward", walk.el("#travel").get_attribute("value")
    walk.press("Demander une place", "the request")
    assert walk.last_notice == "Demande envoyée.", walk.last_notice
    assert walk.text("main dl.figures dd strong") == "En attente de réponse", walk.text("main dl.figures")
    assert walk.page_scripts() == 0
    assert "Victor Lambert" in walk.text("main dl.figures")
    assert PHONE not in walk.body() and EMAIL["victor"] not in walk.body(), "the phone waits for the answer"
    assert "une fois la demande acceptée" in walk.body()
    assert "Attention aux arnaques" in walk.text("main p.warning")
    assert [b.text for b in walk.els("main .actions button")] == ["Retirer ma demande"], [b.text for b in walk.els("main .actions button")]
    state["ask_path"] = walk.path()
    walk.javascript(True)
    walk.finish_step()


def test_03_driver_is_told_and_accepts(walk, mailbox):
    need("ask_path")
    walk.as_person("victor")
    told = [n for n in walk.notices() if "Yasmine Caron demande une place" in n[0]]
    assert told and told[0][1], f"an unread notice of the request: {[n[0] for n in walk.notices()]}"
    mail = mailbox.link(EMAIL["victor"], "Yasmine Caron demande une place")
    walk.open(mail, "the request from the mail")
    assert walk.path() == state["ask_path"], walk.path()
    assert "Yasmine Caron" in walk.text("main dl.figures")
    walk.press("Accepter", "accepted")
    assert walk.last_notice == "C’est noté : acceptée.", walk.last_notice
    contact = walk.body()
    assert EMAIL["yasmine"] in contact, "the driver sees the passenger's address once accepted"
    walk.open(state["ad_path"], "the ride (victor)")
    requests = [li.text for li in walk.els("main section ul > li") if "Yasmine Caron" in li.text]
    assert len(requests) == 1 and requests[0].endswith("— Acceptée"), requests
    walk.finish_step()


def test_04_passenger_sees_the_contact_and_they_write(walk):
    need("ask_path")
    walk.as_person("yasmine")
    told = [n for n in walk.notices() if "Victor Lambert a accepté" in n[0]]
    assert told, [n[0] for n in walk.notices()]
    walk.d.get(told[0][2])
    walk.arrived("the request from the notice")
    assert walk.path() == state["ask_path"], walk.path()
    body = walk.body()
    assert PHONE in body and EMAIL["victor"] in body, "phone and address once accepted"
    assert walk.el(f"main a[href='tel:{PHONE}']") and walk.el(f"main a[href='mailto:{EMAIL['victor']}']")
    assert walk.text("main dl.figures dd strong") == "Acceptée"
    walk.write(ASK, "the request after writing")
    assert [ASK in t for t in walk.thread_texts()] == [True], walk.thread_texts()

    walk.as_person("victor")
    walk.open(state["ask_path"], "the request (victor)")
    assert ASK in " ".join(walk.thread_texts())
    walk.write(ANSWER, "the request after the answer")

    walk.as_person("yasmine")
    walk.open(state["ask_path"], "the request (yasmine)")
    texts = walk.thread_texts()
    assert len(texts) == 2 and ASK in texts[0] and "Yasmine Caron" in texts[0] and ANSWER in texts[1] and "Victor Lambert" in texts[1], texts
    walk.open(f"{BASE}/mine", "my rides and requests")
    mine = walk.text("main")
    assert "avec Victor Lambert — Acceptée" in mine, mine
    walk.finish_step()


def test_05_the_pages_on_a_phone(walk):
    need("search_path", "ask_path")
    walk.d.set_window_size(PHONE_WIDTH, PHONE_HEIGHT)
    walk.look_at_phone_width(state["search_path"], "search results")
    walk.look_at_phone_width(state["ad_path"], "ride")
    walk.look_at_phone_width(state["ask_path"], "request")
    walk.d.set_window_size(1280, 1000)
    walk.log_out()
    walk.who = None
    walk.finish_step()
