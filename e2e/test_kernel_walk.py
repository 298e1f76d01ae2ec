"""What a person does on Maillage, in a real browser against the real server.

The steps run in file order and share one browser and one server: each step
starts where the previous one left the person. Every page walked goes through
axe; serious or critical violations fail the step that walked the page (after
its own checks ran, so one finding does not hide the next ones).
"""

import json
import re

import pytest
from selenium.common.exceptions import NoSuchElementException
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import A11y

PASSWORD = "maillage-demo"
NEWCOMER = {
    "email": "zoe.e2e@example.org",
    "display_name": "Zoé Essai",
    "password": "un-mot-de-passe-solide-42",
}
DEMO_COOP = "paniers-de-la-sevre"
DEMO_COOP_NAME = "Les Paniers de la Sèvre"
NEW_COOP = {
    "name": "Vélos Partagés du Marais",
    "slug": "velos-partages-e2e",
    "commune": "Nantes",
    "postal_code": "44000",
    "description": "Une SCIC qui répare et prête des vélos cargos aux habitants et aux commerces du quartier.",
    "website": "https://example.org/velos-partages",
    "colleges": ["Usagers", "Salariés", "Collectivités"],
    "share_nominal": "25",
}
ACTIVITY_LABELS_FR = {
    "food": "Alimentation en circuit court",
    "delivery": "Livraison à vélo",
    "carpool": "Covoiturage",
    "lending": "Prêt d’objets",
    "exchange": "Échange de services",
    "barter": "Réseau de troc inter-entreprises",
}


# --------------------------------------------------------------------------- helpers


class Walk:
    """The person's browser, with checks that run on every page reached."""

    def __init__(self, driver, base, a11y: A11y):
        self.d = driver
        self.base = base
        self.a11y = a11y
        self.problems = []  # non-axe page problems found during the current step
        self.last_notice = None
        self.axe_mark = 0

    # navigation -----------------------------------------------------------
    def open(self, path, label=None, expect=200):
        self.d.get(self.base + path)
        return self.arrived(label or path, expect)

    def submit(self, button, label, expect=200, reload=True):
        """Clicks a submit button (or link) and waits for the next document.

        `expect` is the HTTP status the final document must have (after redirects):
        a form sent back with errors is a 422, anything else must be a 200.

        A form that was applied must lead to a page fetched with GET (POST → 303 → GET): the
        page is then reloaded, as a person pressing F5 would, and must not send the form again
        (`reload=False` when the page shows something once, which the step checks itself)."""
        posts = bool(button.find_elements(By.XPATH, "ancestor::form[translate(@method, 'POST', 'post')='post']"))
        old = self.d.find_element(By.TAG_NAME, "html")
        button.click()

        # A click that lands while Chrome swaps documents can make the staleness probe fail with
        # "Node with given id does not belong to the document" (a WebDriverException, not a
        # StaleElementReferenceException): that also means the old document is gone.
        def replaced(_):
            try:
                old.is_enabled()
                return False
            except WebDriverException:
                return True
        WebDriverWait(self.d, 15).until(replaced)
        status = self.arrived(label, expect)
        # What the action said it did, shown once on the page it led to (read before any reload).
        notices = self.els("p.notice.flash")
        self.last_notice = notices[0].text.strip() if notices else None
        if posts and expect == 200:
            if self.document_method != "GET":
                pytest.fail(f"{label}: the form answered its page directly ({self.document_method} {self.d.current_url}); "
                            "a reload would send it again — it must redirect (303) to a page", pytrace=False)
            if reload:
                self.d.refresh()
                self.arrived(label + " (reloaded)", expect)
        return status

    def click_link(self, link, label, expect=200):
        return self.submit(link, label, expect)

    def arrived(self, label, expect=200):
        WebDriverWait(self.d, 15).until(
            lambda d: d.execute_script("return document.readyState") == "complete")
        status = self._document_status()
        url = self.d.current_url
        for entry in self.d.get_log("browser"):
            message = entry.get("message", "")
            # the browser logs the document's own 4xx; that one is judged above
            if message.startswith(url + " - Failed to load resource"):
                continue
            if entry.get("level") == "SEVERE":
                self.problems.append(f"{label}: browser console: {message}")
        self.a11y.check(label)
        if status != expect:
            error = self.text(".error-message", default="")
            pytest.fail(f"{label}: HTTP {status} (expected {expect}) at {url} — "
                        f"h1: {self.text('h1', default='(no h1)')!r} {error!r}", pytrace=False)
        return status

    def _document_status(self):
        """The last document's HTTP status; its request's method is kept in `document_method`."""
        status, methods, last = None, {}, None
        for entry in self.d.get_log("performance"):
            msg = json.loads(entry["message"])["message"]
            params = msg.get("params", {})
            if msg.get("method") == "Network.requestWillBeSent" and params.get("type") == "Document":
                # A redirect is sent again under the same request id, as a GET after a 303.
                methods[params.get("requestId")] = params["request"].get("method")
            if msg.get("method") == "Network.responseReceived" and params.get("type") == "Document":
                status = params["response"].get("status")
                last = params.get("requestId")
        self.document_method = methods.get(last)
        return status

    # reading ---------------------------------------------------------------
    def el(self, css):
        return self.d.find_element(By.CSS_SELECTOR, css)

    def els(self, css):
        return self.d.find_elements(By.CSS_SELECTOR, css)

    def text(self, css, default=None):
        try:
            return self.el(css).text.strip()
        except NoSuchElementException:
            if default is not None:
                return default
            raise

    def open_tokens(self):
        """Opens the account page's "Avancé" part, where API tokens are (closed by default)."""
        details = self.el("details#tokens")
        if details.get_attribute("open") is None:
            details.find_element(By.CSS_SELECTOR, "summary").click()
        assert details.get_attribute("open") is not None, "the advanced part did not open"

    def body(self):
        return self.el("body").text

    def path(self):
        return self.d.execute_script("return location.pathname + location.search")

    # writing ---------------------------------------------------------------
    def fill(self, css, value):
        field = self.el(css)
        field.clear()
        field.send_keys(value)

    def set_value(self, css, value):
        """datetime-local inputs: typing into them depends on the browser's locale, so the value
        is set the way the date picker sets it."""
        field = self.el(css)
        self.d.execute_script(
            "arguments[0].value = arguments[1];"
            "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
            "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", field, value)
        assert field.get_attribute("value") == value, f"{css} refused {value!r}"

    def choose(self, css, *, value=None, text=None):
        sel = Select(self.el(css))
        if value is not None:
            sel.select_by_value(value)
        else:
            sel.select_by_visible_text(text)

    def submit_form_of(self, css, label, expect=200, reload=True):
        """Submits the form that holds `css` with its own submit button."""
        form = self.el(css).find_element(By.XPATH, "ancestor::form")
        return self.submit(form.find_element(By.CSS_SELECTOR, "button[type=submit]"), label, expect, reload)

    # session ---------------------------------------------------------------
    def logged_in(self):
        return bool(self.d.find_elements(By.CSS_SELECTOR, "header form[action='/logout'] button"))

    def log_out(self):
        button = self.el("header form[action='/logout'] button")
        return self.submit(button, "logout")

    def log_in(self, email, password, label="login", expect=200):
        if self.logged_in():
            self.log_out()
        link = self.d.find_element(By.CSS_SELECTOR, "header a[href^='/login']")
        self.click_link(link, "login page")
        self.fill("#email", email)
        self.fill("#password", password)
        return self.submit_form_of("#password", label, expect)

    # end of step -------------------------------------------------------------
    def finish_step(self):
        """Fails the step on page problems (4xx/5xx, console errors) and axe findings."""
        found = self.a11y.found[self.axe_mark:]
        self.axe_mark = len(self.a11y.found)
        problems, self.problems = self.problems, []
        message = []
        if problems:
            message.append("Page problems:\n  " + "\n  ".join(problems))
        if found:
            message.append("Accessibility violations (serious/critical):\n" + A11y.format(found))
        if message:
            pytest.fail("\n\n".join(message), pytrace=False)


@pytest.fixture(scope="module")
def walk(driver, server, a11y):
    return Walk(driver, server, a11y)


@pytest.fixture(autouse=True)
def _fresh_step(walk):
    # a step that failed mid-way must not leak its problems into the next step
    walk.problems = []
    walk.axe_mark = len(walk.a11y.found)
    yield


def cards(walk):
    """The directory cards shown: name, activity labels, commune."""
    out = []
    for card in walk.els("li.card"):
        name = card.find_element(By.CSS_SELECTOR, "h2").text.strip()
        tags = [t.text.strip() for t in card.find_elements(By.CSS_SELECTOR, "ul.tags li")]
        meta = card.find_element(By.CSS_SELECTOR, "p.meta").text
        parts = [p.strip() for p in meta.split("·")]
        commune = parts[1] if len(parts) > 1 else ""
        out.append({"name": name, "tags": tags, "commune": commune})
    return out


def count_in(text):
    m = re.match(r"\s*(\d+)\b", text)
    assert m, f"no number in result count {text!r}"
    return int(m.group(1))


# --------------------------------------------------------------------------- the walk


def test_01_sign_up(walk, mailbox):
    walk.open("/", "directory (anonymous)")
    assert walk.d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    walk.click_link(walk.d.find_element(By.CSS_SELECTOR, "header a[href='/signup']"), "signup page")
    assert walk.text("h1") == "Créer un compte"

    # a too-short password is refused with a message next to the field
    walk.fill("#email", NEWCOMER["email"])
    walk.fill("#display_name", NEWCOMER["display_name"])
    walk.fill("#password", "court")
    walk.submit_form_of("#password", "signup page with errors", expect=422)
    assert walk.path().startswith("/signup"), walk.path()
    assert "10 caractères" in walk.body()

    walk.fill("#email", NEWCOMER["email"])
    walk.fill("#display_name", NEWCOMER["display_name"])
    walk.fill("#password", NEWCOMER["password"])
    walk.submit_form_of("#password", "check your mail")
    assert walk.path() == "/signup/sent", walk.path()
    # the confirmation mail, read from the SMTP server: its link, then its one button
    walk.open(mailbox.link(NEWCOMER["email"], "Confirmez votre adresse"), "confirm the address")
    walk.submit_form_of("main form button", "account after confirming")
    assert walk.path().startswith("/account"), walk.path()
    assert walk.logged_in()
    assert NEWCOMER["display_name"] in walk.text("h1")
    assert "confirmée" in walk.body()
    walk.finish_step()


def test_02_log_out_and_log_in(walk):
    walk.log_out()
    assert not walk.logged_in()
    assert walk.d.find_elements(By.CSS_SELECTOR, "header a[href^='/login']")

    # a wrong password is refused, the person stays logged out
    walk.log_in(NEWCOMER["email"], "pas-le-bon-mot-de-passe", "login with wrong password", expect=401)
    assert not walk.logged_in()
    assert walk.path().startswith("/login"), walk.path()

    walk.fill("#email", NEWCOMER["email"])
    walk.fill("#password", NEWCOMER["password"])
    walk.submit_form_of("#password", "account after login")
    assert walk.logged_in()
    assert walk.path().startswith("/account"), walk.path()
    assert NEWCOMER["display_name"] in walk.text("h1")
    walk.finish_step()


def test_02b_forgotten_password(walk, mailbox):
    """From the login page to a new session, the link read from the SMTP server."""
    walk.log_out()
    walk.open("/login", "login page")
    walk.click_link(walk.d.find_element(By.CSS_SELECTOR, "main a[href='/password/forgot']"), "forgotten password")
    walk.fill("#email", NEWCOMER["email"])
    walk.submit_form_of("#email", "link sent")
    assert "un courriel vient d’y partir" in walk.body()
    walk.open(mailbox.link(NEWCOMER["email"], "Choisir un nouveau mot de passe"), "new password page")
    NEWCOMER["password"] = "un mot de passe tout neuf"
    walk.fill("#password", NEWCOMER["password"])
    walk.fill("#password_again", NEWCOMER["password"])
    walk.submit_form_of("#password_again", "account after the reset")
    assert walk.path().startswith("/account"), walk.path()
    assert walk.logged_in()
    assert "mot de passe est changé" in walk.body()
    walk.finish_step()


def test_03_directory_filters(walk):
    walk.click_link(walk.el("header a.brand"), "directory")
    everything = cards(walk)
    assert len(everything) >= 6, everything
    assert count_in(walk.text("p#result-count")) == len(everything)

    # by activity: the person picks one activity and leaves the commune as it is
    walk.choose("select#activity", value="food")
    walk.submit_form_of("select#activity", "directory filtered by activity")
    expected = sorted(c["name"] for c in everything if ACTIVITY_LABELS_FR["food"] in c["tags"])
    shown = cards(walk)
    assert expected, "the demo should have a food cooperative"
    assert Select(walk.el("select#activity")).first_selected_option.get_attribute("value") == "food"
    assert count_in(walk.text("p#result-count")) == len(shown)
    assert sorted(c["name"] for c in shown) == expected, (
        f"activity=food shows {[c['name'] for c in shown]} (URL {walk.path()}), expected {expected}")

    # by commune, after putting the activity back to "all"
    walk.open("/", "directory")
    walk.choose("select#commune", value="Nantes")
    walk.submit_form_of("select#commune", "directory filtered by commune")
    expected = sorted(c["name"] for c in everything if c["commune"] == "Nantes")
    shown = cards(walk)
    assert expected, "the demo should have a cooperative in Nantes"
    assert count_in(walk.text("p#result-count")) == len(shown)
    assert sorted(c["name"] for c in shown) == expected, (
        f"commune=Nantes shows {[c['name'] for c in shown]} (URL {walk.path()}), expected {expected}")

    # both at once, and a combination that matches nothing
    walk.choose("select#activity", value="delivery")
    walk.submit_form_of("select#activity", "directory filtered by activity and commune")
    expected = sorted(c["name"] for c in everything
                      if c["commune"] == "Nantes" and ACTIVITY_LABELS_FR["delivery"] in c["tags"])
    assert sorted(c["name"] for c in cards(walk)) == expected
    walk.choose("select#activity", value="barter")
    walk.submit_form_of("select#activity", "directory with no result")
    assert cards(walk) == []
    assert count_in(walk.text("p#result-count")) == 0
    walk.finish_step()


def _fill_new_cooperative(walk, colleges):
    walk.fill("#name", NEW_COOP["name"])
    walk.fill("#slug", NEW_COOP["slug"])
    walk.choose("select#legal_form", value="scic")
    walk.fill("#commune", NEW_COOP["commune"])
    walk.fill("#postal_code", NEW_COOP["postal_code"])
    walk.fill("#description", NEW_COOP["description"])
    walk.fill("#website", NEW_COOP["website"])
    for activity in ("delivery", "lending"):
        box = walk.el(f"#activity-{activity}")
        if not box.is_selected():
            box.click()
    walk.fill("#colleges", "\n".join(colleges))
    walk.fill("#share_nominal", NEW_COOP["share_nominal"])
    answers = {"governance": "yes", "value_sharing": "partly", "data_ethics": "yes",
               "commons": "partly", "inter_cooperation": "no"}
    for key, answer in answers.items():
        walk.el(f"#charter_{key}_{answer}").click()
    walk.fill("#evidence_governance", "Une personne = une voix, trois collèges.")
    walk.fill("#evidence_value_sharing", "Tarifs publiés ; excédents votés en AG.")
    walk.fill("#evidence_data_ethics", "Aucun traceur, données minimales.")


def test_04_create_cooperative(walk):
    walk.click_link(walk.d.find_element(By.CSS_SELECTOR, "header a[href='/cooperatives/new']"),
                    "new cooperative form")
    assert walk.text("h1") == "Créer une coopérative"

    # a SCIC with only two colleges is refused and the form keeps what was typed
    _fill_new_cooperative(walk, NEW_COOP["colleges"][:2])
    walk.submit_form_of("#name", "new cooperative form with errors", expect=422)
    assert not walk.path().startswith(f"/c/{NEW_COOP['slug']}"), walk.path()
    assert walk.el("#name").get_attribute("value") == NEW_COOP["name"]
    assert "3" in walk.body() and "SCIC" in walk.body()

    _fill_new_cooperative(walk, NEW_COOP["colleges"])
    walk.submit_form_of("#name", "cooperative page after creation")
    assert walk.path().startswith(f"/c/{NEW_COOP['slug']}"), walk.path()
    assert walk.text("h1") == NEW_COOP["name"]
    page = walk.body()
    for college in NEW_COOP["colleges"]:
        assert college in page
    assert "25,00 €" in page
    assert "Conseil d’administration" in page  # the founder sits on the board
    assert ACTIVITY_LABELS_FR["delivery"] in page and ACTIVITY_LABELS_FR["lending"] in page
    assert "Gouvernance inclusive" in page and "Une personne = une voix, trois collèges." in page

    # it waits for the instance's operators: said on its page, not yet in the directory
    assert "En attente de validation par les opérateurs de l’instance" in page
    walk.click_link(walk.el("header a.brand"), "directory")
    assert not [c for c in cards(walk) if c["name"] == NEW_COOP["name"]], cards(walk)
    walk.finish_step()


def test_05_ask_to_join(walk):
    link = walk.d.find_element(By.CSS_SELECTOR, f"li.card a[href='/c/{DEMO_COOP}']")
    walk.click_link(link, "demo cooperative page")
    assert walk.text("h1") == DEMO_COOP_NAME
    walk.choose("select#college", text="Mangeurs")
    walk.fill("#shares", "3")
    walk.fill("#message", "Bonjour, je voudrais commander des paniers chaque semaine.")
    walk.submit_form_of("#shares", "demo cooperative page after the request")
    assert walk.path().startswith(f"/c/{DEMO_COOP}"), walk.path()
    assert walk.last_notice == "Votre demande d’adhésion est envoyée au conseil.", walk.last_notice
    assert not walk.els("select#college"), "the join form should not be offered twice"
    walk.finish_step()


def test_06_board_approves(walk):
    walk.log_in("alice@demo.maillage.coop", PASSWORD, "alice's account")
    assert walk.logged_in()
    # the board member is told, and follows the notification to the board page
    note = [a for a in walk.els("ul.inbox a") if NEWCOMER["display_name"] in a.text]
    assert note, "alice should be notified of the request"
    walk.click_link(note[0], "board page")
    assert walk.path().startswith(f"/c/{DEMO_COOP}/manage"), walk.path()
    pending = walk.el("section[aria-labelledby='pending-title']")
    rows = [r for r in pending.find_elements(By.CSS_SELECTOR, "tbody tr")
            if NEWCOMER["display_name"] in r.text]
    assert len(rows) == 1, pending.text
    assert "Mangeurs" in rows[0].text and "3" in rows[0].text
    approve = rows[0].find_element(By.CSS_SELECTOR, "form[action$='/approve'] button")
    walk.submit(approve, "board page after approval")
    assert walk.path().startswith(f"/c/{DEMO_COOP}/manage"), walk.path()
    pending_now = walk.els("section[aria-labelledby='pending-title']")
    assert not pending_now or NEWCOMER["display_name"] not in pending_now[0].text
    members = walk.el("section#members")
    row = [r for r in members.find_elements(By.CSS_SELECTOR, "tbody tr")
           if NEWCOMER["display_name"] in r.text]
    assert row, members.text
    assert "Mangeurs" in row[0].text

    # Alice also operates the instance: she approves the cooperative created above, which then
    # appears in the directory, in its commune
    walk.open("/operators/cooperatives", "operators' queue")
    card = [c for c in walk.els("main li.card") if NEW_COOP["name"] in c.text]
    assert card, walk.text("main")
    walk.submit(card[0].find_element(By.CSS_SELECTOR, "form[action$='/approve'] button"), "queue after approval")
    assert NEW_COOP["name"] in (walk.last_notice or ""), walk.last_notice
    walk.click_link(walk.el("header a.brand"), "directory")
    mine = [c for c in cards(walk) if c["name"] == NEW_COOP["name"]]
    assert mine and mine[0]["commune"] == NEW_COOP["commune"], cards(walk)
    walk.finish_step()


def test_07_member_sees_membership(walk):
    walk.log_in(NEWCOMER["email"], NEWCOMER["password"], "newcomer's account")
    assert walk.path().startswith("/account"), walk.path()
    inbox = walk.text("ul.inbox", default="")
    assert f"Votre adhésion à {DEMO_COOP_NAME} a été acceptée" in inbox, inbox
    # notices grouped by day, in words
    days = [h.text.strip() for h in walk.els("h3.inbox-day")]
    assert days and days[0] == "Aujourd’hui", days
    table = walk.el("section[aria-labelledby='memberships-title'] table")
    rows = {r.find_element(By.CSS_SELECTOR, "td").text.strip(): [c.text.strip() for c in r.find_elements(By.CSS_SELECTOR, "td")]
            for r in table.find_elements(By.CSS_SELECTOR, "tbody tr")}
    assert DEMO_COOP_NAME in rows, rows
    assert rows[DEMO_COOP_NAME][1:5] == ["Sociétaire", "Sociétaire", "Mangeurs", "3"], rows[DEMO_COOP_NAME]
    assert NEW_COOP["name"] in rows and rows[NEW_COOP["name"]][2] == "Conseil d’administration", rows

    # an API token, shown once: in the "Avancé" part of the page, closed until asked for
    walk.open_tokens()
    walk.fill("#name", "script e2e")
    walk.submit_form_of("#name", "account with a new token", reload=False)
    token = walk.text("code#new-token")
    assert token.startswith("mlg_"), token
    walk.finish_step()


def test_08_english_from_the_token_page(walk):
    # the person is still on the page that shows the new token and switches language
    assert walk.els("code#new-token")
    walk.click_link(walk.d.find_element(By.CSS_SELECTOR, "header a[hreflang='en']"), "token page in English")
    assert walk.d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert walk.text("#memberships-title") == "My memberships"
    walk.finish_step()


def test_09_english(walk):
    walk.open("/lang/fr?back=/account", "account")  # whatever the previous step left
    assert walk.d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    walk.click_link(walk.d.find_element(By.CSS_SELECTOR, "header a[hreflang='en']"), "account in English")
    assert walk.path() == "/account", walk.path()
    assert walk.d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert walk.text("h1") == f"Hello {NEWCOMER['display_name']}"
    assert walk.text("#memberships-title") == "My memberships"
    assert walk.text("header form[action='/logout'] button") == "Log out"
    assert f"Your membership of {DEMO_COOP_NAME} was approved." in walk.text("ul.inbox")
    table = walk.el("section[aria-labelledby='memberships-title'] table")
    assert [th.text for th in table.find_elements(By.CSS_SELECTOR, "thead th")][:2] == ["Cooperative", "Status"]

    walk.click_link(walk.el("header a.brand"), "directory in English")
    assert walk.text("h1") == "The territory’s cooperative platforms"
    assert walk.text("form.filters button[type=submit]") == "Filter"
    n = len(cards(walk))
    assert walk.text("p#result-count") == f"{n} platforms"
    walk.choose("select#activity", value="barter")
    walk.choose("select#commune", value="Nantes")
    walk.submit_form_of("select#activity", "directory in English, no result")
    assert cards(walk) == []
    assert "No platform matches these criteria." in walk.body()
    assert walk.text("p#result-count") == "0 platforms", walk.text("p#result-count")

    walk.open(f"/c/{DEMO_COOP}", "demo cooperative in English")
    assert walk.d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert "Inclusive governance" in walk.body()
    # back to French, for whoever uses this browser next
    walk.click_link(walk.d.find_element(By.CSS_SELECTOR, "header a[hreflang='fr']"), "back to French")
    assert walk.d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    walk.finish_step()


def test_10_every_page_went_through_axe(walk):
    labels = [label for label, _, _ in walk.a11y.pages]
    versions = {v for _, _, v in walk.a11y.pages}
    print(f"axe-core {', '.join(sorted(map(str, versions)))} ran on {len(labels)} pages: {', '.join(labels)}")
    assert len(labels) >= 20
