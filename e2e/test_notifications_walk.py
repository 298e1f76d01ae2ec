"""Notifications people choose, in a real browser against the real server.

Chloé (a member of Les Paniers de la Sèvre) chooses, on her account's notifications page, a
daily digest for votes; the page also fits a 390 px phone. Alice (board) opens a vote through the
API. No mail comes to Chloé at once; the digest job (every 5 seconds in the walks,
DIGEST_PERIOD_SECONDS in conftest, instead of daily at 7:00) sends her one digest that names the
vote, read from the real SMTP server with its RFC 8058 headers. Its List-Unsubscribe address
works without a login: the page opens for a stranger, the one-click POST of a mail program (no
cookie, no CSRF token) answers 200, and Chloé's page then shows votes in the site only.

Same rules as the kernel walk (whose `Walk` it reuses): every page reached goes through axe, its
HTTP status and the browser console are checked. The walk ends logged out with cookies cleared.
"""

import re
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone

import pytest
from selenium.webdriver.common.by import By

from conftest import leave_anonymous
from test_governance_walk import GovernanceWalk, api

COOP = "paniers-de-la-sevre"
VOTE_TITLE = "Horaires d’hiver du point de retrait de Niort"
state = {}


def anonymous(method, url, body=None):
    """A request with no cookie at all, as a mail program makes it."""
    req = urllib.request.Request(url, method=method, data=body,
                                 headers={"Content-Type": "application/x-www-form-urlencoded"} if body else {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


def need(*keys):
    missing = [k for k in keys if k not in state]
    if missing:
        pytest.skip(f"an earlier step did not get {', '.join(missing)}")


@pytest.fixture(scope="module")
def walk(driver, server, a11y):
    w = GovernanceWalk(driver, server, a11y)
    yield w
    leave_anonymous(driver, server)


@pytest.fixture(autouse=True)
def _fresh_step(walk):
    walk.problems = []
    walk.axe_mark = len(walk.a11y.found)
    yield


def about_the_vote(mailbox, to):
    return [msg for msg in mailbox.messages(to) if str(msg["Subject"]).startswith("Votre résumé Maillage")
            and VOTE_TITLE in msg.get_body(preferencelist=("plain",)).get_content()]


def channel_checked(walk, kind):
    checked = [r.get_attribute("value") for r in walk.els(f"input[type=radio][name={kind}]") if r.is_selected()]
    assert len(checked) == 1, f"{kind}: {checked}"
    return checked[0]


def test_01_member_chooses_a_daily_digest_for_votes(walk):
    walk.as_person("chloe")
    walk.open("/account", "chloe's account")
    walk.click_link(walk.el("main a[href='/account/notifications']"), "notification choices")
    assert walk.text("h1") == "Comment être prévenu·e"
    assert channel_checked(walk, "votes") == "mail", "a vote is mailed at once by default"
    assert channel_checked(walk, "loans") == "site"
    assert not walk.els("input[name=orders][value=digest]"), "an order's receipt is not offered in a digest"
    radio = walk.el("input[name=votes][value=digest]")
    # the radio's name is read by screen readers from its label
    label = radio.find_element(By.XPATH, "ancestor::label").text + radio.find_element(By.XPATH, "ancestor::label").get_attribute("textContent")
    assert "Votes" in label and "Résumé quotidien" in label, label
    radio.click()
    walk.submit_form_of("input[name=votes][value=digest]", "notification choices saved")
    assert walk.last_notice == "Vos choix de notifications sont enregistrés.", walk.last_notice
    assert channel_checked(walk, "votes") == "digest"
    walk.finish_step()


def test_02_the_choices_fit_a_phone(walk):
    walk.as_person("chloe")
    size = walk.d.get_window_size()
    try:
        walk.d.set_window_size(390, 844)
        walk.open("/account/notifications", "notification choices on a phone")
        inner = walk.d.execute_script("return window.innerWidth")
        wide = walk.d.execute_script("return document.documentElement.scrollWidth")
        assert wide <= inner, f"the page scrolls sideways at {inner} px: {wide} px wide"
        assert walk.el("input[name=votes][value=digest]").is_displayed()
    finally:
        walk.d.set_window_size(size["width"], size["height"])
    walk.finish_step()


def test_03_board_opens_a_vote(walk):
    walk.as_person("alice")
    walk.open("/account", "alice's account")
    walk.open_tokens()
    walk.fill("#name", "e2e notifications")
    walk.choose("select#scope", value="full")
    walk.submit_form_of("#name", "account with a new token", reload=False)
    token = walk.text("code#new-token")
    assert token.startswith("mlg_"), token
    closes_at = (datetime.now(timezone.utc) + timedelta(days=3)).replace(microsecond=0)
    status, created = api(walk.base, "POST", f"/cooperatives/{COOP}/proposals", token, {
        "title": VOTE_TITLE, "method": "single-choice", "options": ["Oui", "Non"],
        "closesAt": closes_at.strftime("%Y-%m-%dT%H:%M:%SZ")})
    assert status == 201, (status, created)
    assert created["phase"] == "open", created
    state["vote"] = created["id"]
    walk.finish_step()


def test_04_the_digest_brings_the_vote_once(walk, mailbox):
    need("vote")
    chloe = "chloe@demo.maillage.coop"
    # her unread notices from before may come in a first digest; the one to read names the vote
    deadline = time.monotonic() + 40
    while not (digests := about_the_vote(mailbox, chloe)):
        assert time.monotonic() < deadline, "no digest naming the vote within 40 s"
        time.sleep(0.5)
    digest = digests[-1]
    text = digest.get_body(preferencelist=("plain",)).get_content()
    assert re.search(r"(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) \d{1,2} \w+ \d{4}", text, re.I), text
    header = str(digest["List-Unsubscribe"])
    m = re.fullmatch(r"<(https?://[^>]+/unsubscribe/[^>]+)>", header.strip())
    assert m, header
    assert str(digest["List-Unsubscribe-Post"]).strip() == "List-Unsubscribe=One-Click"
    state["unsubscribe"] = m.group(1)
    # nothing at once: votes go to her digest now
    at_once = [msg for msg in mailbox.messages(chloe) if VOTE_TITLE in str(msg["Subject"])]
    assert not at_once, [str(msg["Subject"]) for msg in at_once]
    # one digest for this vote, even after two more periods
    time.sleep(11)
    assert len(about_the_vote(mailbox, chloe)) == 1


def test_05_the_unsubscribe_link_works_without_login(walk):
    need("unsubscribe")
    url = state["unsubscribe"]
    status, page = anonymous("GET", url)
    assert status == 200 and "Ne plus les recevoir par courriel" in page and "Votes" in page, (status, page[:500])
    status, done = anonymous("POST", url, b"List-Unsubscribe=One-Click")
    assert status == 200, (status, done[:500])
    assert "Plus de courriel pour : Votes." in done, done[:1000]
    tampered = url[:-3] + ("AAA" if not url.endswith("AAA") else "BBB")
    status, refused = anonymous("POST", tampered, b"List-Unsubscribe=One-Click")
    assert status == 404 and "Ce lien de désabonnement n’est pas valide" in refused, status


def test_06_the_choices_page_shows_votes_in_the_site_only(walk):
    need("unsubscribe")
    walk.as_person("chloe")
    walk.open("/account/notifications", "notification choices after unsubscribing")
    assert channel_checked(walk, "votes") == "site"
    # the link page itself, opened in the browser, passes the same checks
    walk.open(urlpath(state["unsubscribe"]), "unsubscribe page")
    assert walk.text("h1") == "Ne plus recevoir ces courriels"
    walk.finish_step()


def urlpath(url):
    return re.sub(r"^https?://[^/]+", "", url)
