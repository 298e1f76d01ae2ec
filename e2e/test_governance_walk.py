"""Governance as members live it, in a real browser against the real server.

Alice (board of Les Paniers de la Sèvre) puts a question to the vote through the form (a
mistake first, kept with what she typed); Chloé (a plain member) follows her notification,
votes and changes her mind; Alice votes. A second vote, created through the API, closes 40
seconds later; while it runs Alice convenes a general assembly with both votes on the agenda
and is recorded present, Chloé and Emma vote in the browser, Chloé gives her proxy to Alice,
Emma's second proxy to Alice is refused (one per person), and Bruno (not a member) gets 403
everywhere. The scheduled job counts the ballots (JOB_TICK_SECONDS=1, see conftest), Alice
writes the board's statement, the anonymised ballot file names no one and recounts to the same
ranking with `maillage tally`, the decision log lists the vote (page, CSV, JSON), and the
minutes of the assembly show attendance, proxies and the resolution. The assembly steps skip
themselves while /c/<slug>/assemblies answers 404.

Same rules as the kernel walk (whose `Walk` it reuses): the steps run in file order and share
one browser and one server; every page reached goes through axe, its HTTP status and the
browser console are checked; serious/critical axe findings fail the step after its own checks.
The walk ends logged out with the cookies cleared, so the kernel walk starts anonymous.
"""

import csv
import io
import json
import os
import re
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import DEFAULT_BIN, leave_anonymous
from test_kernel_walk import Walk  # same page checks (status, console, axe) as the kernel walk

PASSWORD = "maillage-demo"
COOP = "paniers-de-la-sevre"
COOP_NAME = "Les Paniers de la Sèvre"
EMAIL = {who: f"{who}@demo.maillage.coop" for who in ("alice", "bruno", "chloe", "emma")}
PARIS = ZoneInfo("Europe/Paris")

FORM_VOTE = {
    "title": "Achat d’un triporteur pour les livraisons",
    "body": "Le conseil propose d’acheter un triporteur électrique (4 800 €) pour livrer les paniers "
            "aux personnes qui ne peuvent pas venir au point de retrait.",
    "options": ["Pour", "Contre"],
    "quorum": "1/5",
}
API_VOTE = {"title": "Ouverture d’un second point de retrait à Chauray", "options": ["Oui", "Non"]}
API_VOTE_LIFETIME = 40  # seconds between its creation and its closing time
# who votes what on the API vote (indexes into API_VOTE["options"]): 2 × Oui, 1 × Non
API_BALLOTS = {"alice": 0, "chloe": 1, "emma": 0}
STATEMENT = "Le second point de retrait ouvrira à Chauray le premier samedi de mars, à la ferme des Ormeaux."
ASSEMBLY = {"title": "Assemblée générale de printemps", "place": "Salle des fêtes de Chauray"}

state = {}  # what one step leaves for the next ones (ids, token, names)


# --------------------------------------------------------------------------- helpers


class GovernanceWalk(Walk):
    who = None
    emails = EMAIL  # who can be logged in by name

    def as_person(self, who):
        """Logs `who` in (from the header, as a person does) unless already logged in."""
        if self.who == who and self.logged_in():
            return
        self.who = None
        if not self.d.current_url.startswith(self.base):
            self.open("/", "directory")
        self.log_in(self.emails[who], PASSWORD, f"{who}'s account")
        assert self.logged_in(), f"{who} could not log in"
        self.who = who

    def fetch(self, path):
        """Downloads `path` from the page, with the person's cookies (a file link, a CSV)."""
        result = self.d.execute_async_script("""
            const [url, done] = arguments;
            fetch(url, {credentials: 'same-origin'})
              .then(async r => done({status: r.status, type: r.headers.get('content-type') || '',
                                     disposition: r.headers.get('content-disposition') || '',
                                     text: await r.text()}))
              .catch(e => done({status: 0, error: String(e)}));""", path)
        assert result.get("status"), f"fetch {path}: {result.get('error')}"
        # the console logs a 4xx of the file itself; the caller judges that status
        url = self.base + path if path.startswith("/") else path
        for entry in self.d.get_log("browser"):
            message = entry.get("message", "")
            if message.startswith(url + " - Failed to load resource"):
                continue
            if entry.get("level") == "SEVERE":
                self.problems.append(f"fetch {path}: browser console: {message}")
        return result

    def vote_path(self, vote_id):
        return f"/c/{COOP}/votes/{vote_id}"

    def turnout(self):
        m = re.search(r"Participation : (\d+) sur (\d+) sociétaires\.", self.body())
        assert m, f"no turnout line on {self.path()}"
        return int(m.group(1)), int(m.group(2))

    def recorded_ballot(self):
        """The recorded ballot as the page words it (for a single choice: the option's name)."""
        m = re.search(r"Bulletin enregistré : (.+)", self.body())
        return m.group(1).strip() if m else None

    def list_sections(self):
        """The votes list: {section title: [vote titles]}."""
        out = {}
        for section in self.els("main section"):
            title = section.find_element(By.CSS_SELECTOR, "h2").text.strip()
            out[title] = [a.text.strip() for a in section.find_elements(By.CSS_SELECTOR, "li a")]
        return out

    def cast(self, label, *, choice):
        """Votes on the single-choice ballot shown: `choice` is the option's label."""
        radios = {self.d.find_element(By.CSS_SELECTOR, f"label[for='{r.get_attribute('id')}']").text.strip(): r
                  for r in self.els("form[action$='/ballot'] input[type=radio][name=choice]")}
        assert choice in radios, f"no radio {choice!r} in {list(radios)}"
        radios[choice].click()
        assert radios[choice].is_selected()
        self.submit(self.el("form[action$='/ballot'] button[type=submit]"), label)


def paris_local(dt):
    return dt.astimezone(PARIS).strftime("%Y-%m-%dT%H:%M")


def api(base, method, path, token, body=None):
    req = urllib.request.Request(base + "/api/v1" + path, method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                                          "Accept": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


def seconds_left(closes_at):
    return (closes_at - datetime.now(timezone.utc)).total_seconds()


def _skip_unless_built(walk, path):
    if walk.fetch(path)["status"] == 404:
        pytest.skip(f"{path} answers 404: general assemblies are not built yet")


@pytest.fixture(scope="module")
def walk(driver, server, a11y):
    w = GovernanceWalk(driver, server, a11y)
    yield w
    # the kernel walk that runs next starts anonymous, in French, with empty browser logs
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


# --------------------------------------------------------------------------- a vote through the form


def test_01_board_puts_a_question_to_the_vote(walk):
    walk.as_person("alice")
    # who the members are, to check turnout and that the ballot file names no one
    walk.open(f"/c/{COOP}/manage", "board page")
    names = [row.find_element(By.CSS_SELECTOR, "td").text.strip()
             for row in walk.els("section#members tbody tr")]
    assert "Alice Morvan" in names and "Chloé Bernard" in names, names
    state["members"] = names

    walk.open(f"/c/{COOP}", "demo cooperative page")
    walk.click_link(walk.el(f"main a[href='/c/{COOP}/votes']"), "votes list")
    assert walk.text("h1") == "Votes et décisions"
    assert set(walk.list_sections()) >= {"Votes ouverts", "À venir", "Clos"}, walk.list_sections()
    new = [a for a in walk.els(f"a[href='/c/{COOP}/votes/new']") if a.text.strip() == "Soumettre une question au vote"]
    assert new, "no 'Soumettre une question au vote' link on the votes list"
    walk.click_link(new[0], "new vote form")
    assert walk.text("h1") == "Soumettre une question au vote"

    # a mistake: one option only, and a closing date already past
    yesterday = paris_local((datetime.now(PARIS) - timedelta(days=1)).replace(hour=18, minute=0))
    walk.fill("#title", FORM_VOTE["title"])
    walk.fill("#body", FORM_VOTE["body"])
    walk.choose("select#method", value="single-choice")
    walk.fill("#options", FORM_VOTE["options"][0])
    walk.set_value("#closes_at", yesterday)
    walk.choose("select#quorum", value=FORM_VOTE["quorum"])
    walk.choose("select#majority", value="simple")
    walk.submit_form_of("#title", "new vote form with errors", expect=422)
    assert walk.path() == f"/c/{COOP}/votes", walk.path()
    summary = walk.text("#form-errors")
    assert "Indiquez entre 2 et 30 options" in summary, summary
    # the closing date is refused (see the report: with the opening left empty the message is
    # "La clôture doit suivre l’ouverture." rather than "La date de clôture est déjà passée.")
    assert re.search(r"La clôture doit suivre l’ouverture\.|La date de clôture est déjà passée\.", summary), summary
    # each error links to its field, is shown next to it, and the field says it is invalid
    for field in ("options", "closes_at"):
        assert walk.els(f"#form-errors a[href='#{field}']"), f"no link to #{field} in {summary!r}"
        assert walk.text(f"#{field}-error"), f"no message next to #{field}"
        assert walk.el(f"#{field}").get_attribute("aria-invalid") == "true", field
    # what was typed is kept
    assert walk.el("#title").get_attribute("value") == FORM_VOTE["title"]
    assert walk.el("#body").get_attribute("value") == FORM_VOTE["body"]
    assert Select(walk.el("#method")).first_selected_option.get_attribute("value") == "single-choice"
    assert walk.el("#options").get_attribute("value").strip() == FORM_VOTE["options"][0]
    assert walk.el("#closes_at").get_attribute("value") == yesterday
    assert Select(walk.el("#quorum")).first_selected_option.get_attribute("value") == FORM_VOTE["quorum"]

    # corrected: two options, closing in a week at 18:00 (Paris)
    closes = (datetime.now(PARIS) + timedelta(days=7)).replace(hour=18, minute=0)
    walk.fill("#options", "\n".join(FORM_VOTE["options"]))
    walk.set_value("#closes_at", paris_local(closes))
    walk.submit_form_of("#title", "vote page after creation")
    m = re.fullmatch(rf"/c/{COOP}/votes/([0-9A-Fa-f-]{{36}})", walk.path())
    assert m, walk.path()
    state["form_vote"] = m.group(1)
    assert walk.text("h1") == FORM_VOTE["title"]
    meta = walk.text("p.meta")
    for part in ("Vote ouvert", "Choix unique", f"quorum {FORM_VOTE['quorum']}", f"{closes.day} ", "à 18:00"):
        assert part in meta, f"{part!r} not in {meta!r}"
    assert FORM_VOTE["body"] in walk.body()
    assert [li.text for li in walk.els("main ol li")][:2] == FORM_VOTE["options"]
    assert walk.turnout() == (0, len(names)), (walk.turnout(), names)
    labels = [walk.d.find_element(By.CSS_SELECTOR, f"label[for='{r.get_attribute('id')}']").text
              for r in walk.els("input[type=radio][name=choice]")]
    assert labels == FORM_VOTE["options"] + ["Vote blanc"], labels

    walk.click_link(walk.el(f"main a[href='/c/{COOP}/votes']"), "votes list with the new vote")
    assert FORM_VOTE["title"] in walk.list_sections()["Votes ouverts"], walk.list_sections()
    walk.finish_step()


def test_02_ballot_without_a_choice_is_refused(walk):
    need("form_vote", "members")
    walk.as_person("chloe")
    # Chloé is told the vote is open, and follows the notification
    notes = [a for a in walk.els("ul.inbox a") if FORM_VOTE["title"] in a.text]
    assert notes, f"chloe is not told about the vote: {walk.text('ul.inbox', default='(no inbox)')!r}"
    assert COOP_NAME in notes[0].text
    walk.click_link(notes[0], "vote page from the notification")
    assert walk.path().startswith(walk.vote_path(state["form_vote"])), walk.path()
    assert walk.text("main h2") == "Votre vote"
    assert walk.recorded_ballot() is None

    # she presses "Voter" before choosing: nothing is recorded, she is asked to choose (a blank
    # vote is an option of its own). Today the server records a blank vote (null) and says
    # "Votre bulletin est enregistré." - irreversible on a secret ballot.
    try:
        walk.submit(walk.el("form[action$='/ballot'] button[type=submit]"),
                    "vote page after voting with no choice", expect=422)
    except pytest.fail.Exception as e:
        raise AssertionError(str(e)) from None
    assert walk.turnout()[0] == 0, walk.turnout()
    assert walk.text(".error-message", default=""), "no message asking to choose"
    walk.finish_step()


def test_03_member_votes_then_changes_her_vote(walk):
    need("form_vote", "members")
    walk.as_person("chloe")
    walk.open(walk.vote_path(state["form_vote"]), "vote page (chloe)")

    walk.cast("vote page after voting", choice="Pour")
    assert walk.path() == walk.vote_path(state["form_vote"]), walk.path()
    assert walk.last_notice == "Votre bulletin est enregistré.", walk.last_notice
    assert walk.recorded_ballot() == "Pour", walk.body()
    assert walk.turnout() == (1, len(state["members"]))
    assert walk.text("main section h2") == "Modifier votre vote"

    # she changes her mind: one ballot still, the new one
    walk.cast("vote page after changing the vote", choice="Contre")
    assert walk.last_notice == "Votre bulletin est enregistré.", walk.last_notice
    assert walk.recorded_ballot() == "Contre", walk.body()
    assert walk.turnout() == (1, len(state["members"]))
    # an open vote shows no result and a plain member no statement form
    assert not walk.els("#result-title") and not walk.els("#statement")
    walk.finish_step()


def test_04_board_member_votes(walk):
    need("form_vote", "members")
    walk.as_person("alice")
    walk.open(walk.vote_path(state["form_vote"]), "vote page (alice)")
    assert walk.recorded_ballot() is None
    assert walk.turnout() == (1, len(state["members"]))
    walk.cast("vote page after alice voted", choice="Pour")
    assert walk.last_notice == "Votre bulletin est enregistré.", walk.last_notice
    assert walk.recorded_ballot() == "Pour"
    assert walk.turnout() == (2, len(state["members"]))
    walk.finish_step()


# --------------------------------------------------------------------------- a vote that closes soon
# The API vote closes API_VOTE_LIFETIME seconds after its creation and is counted at the next
# 30-second slot of the scheduled job: the assembly is convened and attended meanwhile.


def test_05_api_vote_closing_soon(walk):
    need("members", "form_vote")
    walk.as_person("alice")
    walk.open("/account", "alice's account")
    walk.open_tokens()
    walk.fill("#name", "e2e gouvernance")
    # the form proposes read only first; this token opens a vote, so it asks for read and write
    walk.choose("select#scope", value="full")
    walk.submit_form_of("#name", "account with a new token", reload=False)
    token = walk.text("code#new-token")
    assert token.startswith("mlg_"), token
    # shown once: the page reloaded no longer holds it (only its hash is kept)
    walk.d.refresh()
    walk.arrived("account reloaded")
    assert not walk.els("code#new-token"), "the new token is shown again after a reload"

    closes_at = (datetime.now(timezone.utc) + timedelta(seconds=API_VOTE_LIFETIME)).replace(microsecond=0)
    status, created = api(walk.base, "POST", f"/cooperatives/{COOP}/proposals", token, {
        "title": API_VOTE["title"], "method": "single-choice", "options": API_VOTE["options"],
        "closesAt": closes_at.strftime("%Y-%m-%dT%H:%M:%SZ")})
    assert status == 201, (status, created)
    assert created["phase"] == "open" and created["electorate"] == len(state["members"]), created
    state.update(api_vote=created["id"], api_closes_at=closes_at)

    # alice finds it in the list and votes
    walk.open(f"/c/{COOP}/votes", "votes list with the API vote")
    assert API_VOTE["title"] in walk.list_sections()["Votes ouverts"], walk.list_sections()
    link = [a for a in walk.els("main section li a") if a.text.strip() == API_VOTE["title"]][0]
    walk.click_link(link, "API vote page (alice)")
    assert walk.path().lower() == walk.vote_path(state["api_vote"]).lower(), walk.path()
    assert seconds_left(closes_at) > 2, "too slow: the vote closed before alice could vote"
    walk.cast("API vote page after alice voted", choice=API_VOTE["options"][API_BALLOTS["alice"]])
    assert walk.recorded_ballot() == API_VOTE["options"][API_BALLOTS["alice"]]
    walk.finish_step()


def _assembly_rows(walk):
    """The attendance table: {member: (attendance, proxy holder)}."""
    table = [t for t in walk.els("main table") if "Présence" in t.text][0]
    return {cells[0].text.strip(): (cells[1].text.strip(), cells[2].text.strip())
            for cells in (tr.find_elements(By.CSS_SELECTOR, "td") for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr"))}


def _quorum_line(walk):
    line = [p.text for p in walk.els("main p strong") if p.text.startswith("Quorum")]
    assert line, "no quorum line"
    return line[0]


def test_06_board_convenes_a_general_assembly(walk):
    need("form_vote", "api_vote", "api_closes_at", "members")
    walk.as_person("alice")
    _skip_unless_built(walk, f"/c/{COOP}/assemblies")
    walk.open(f"/c/{COOP}/votes", "votes list")
    link = walk.els(f"main a[href='/c/{COOP}/assemblies']")
    assert link and link[0].text.strip() == "Assemblées générales", "no link to the assemblies on the votes list"
    walk.click_link(link[0], "assemblies list")
    assert walk.text("h1") == "Assemblées générales"
    new = [a for a in walk.els(f"a[href='/c/{COOP}/assemblies/new']") if a.text.strip() == "Convoquer une assemblée"]
    assert new, "no 'Convoquer une assemblée' link for a board member"
    walk.click_link(new[0], "new assembly form")
    assert walk.text("h1") == "Convoquer une assemblée générale"
    starts = (datetime.now(PARIS) + timedelta(days=21)).replace(hour=18, minute=30)
    walk.fill("#title", ASSEMBLY["title"])
    walk.choose("select#kind", value="ordinary")
    walk.set_value("#starts_at", paris_local(starts))
    walk.fill("#place", ASSEMBLY["place"])
    walk.fill("#proxies_per_holder", "1")
    boxes = {b.get_attribute("value").lower(): b for b in walk.els("input[type=checkbox][name='agenda[]']")}
    for vote in ("form_vote", "api_vote"):
        assert state[vote].lower() in boxes, f"the open vote {vote} is not offered on the agenda: {list(boxes)}"
        boxes[state[vote].lower()].click()
    assert seconds_left(state["api_closes_at"]) > 2, "too slow: the API vote closed before the assembly was convened"
    walk.submit_form_of("#title", "assembly page after convening")
    m = re.fullmatch(rf"/c/{COOP}/assemblies/([0-9A-Fa-f-]{{36}})", walk.path())
    assert m, walk.path()
    state["assembly"] = m.group(1)
    assert walk.text("h1") == ASSEMBLY["title"]
    meta = walk.text("p.meta")
    assert "Assemblée générale ordinaire" in meta and ASSEMBLY["place"] in meta and "18:30" in meta, meta
    agenda = [a.text.strip() for a in walk.els("main ol li a")]
    assert sorted(agenda) == sorted([FORM_VOTE["title"], API_VOTE["title"]]), agenda
    assert _assembly_rows(walk) == {}, _assembly_rows(walk)
    assert re.search(rf"Quorum \(1/5\) : 0 présent·e \+ 0 représenté·e sur {len(state['members'])} sociétaires — non atteint\.",
                     _quorum_line(walk)), _quorum_line(walk)

    # the board records alice present (the member list starts on the person filling the form)
    assert Select(walk.el("select#member")).first_selected_option.text == "Alice Morvan"
    walk.choose("select#status", value="present")
    walk.submit_form_of("select#status", "assembly page with alice present")
    assert _assembly_rows(walk) == {"Alice Morvan": ("Présent·e", "—")}, _assembly_rows(walk)
    assert "1 présent·e + 0 représenté·e" in _quorum_line(walk) and "non atteint" in _quorum_line(walk)

    walk.open(f"/c/{COOP}/assemblies", "assemblies list with the new one")
    assert ASSEMBLY["title"] in [a.text.strip() for a in walk.els("main li a")]
    walk.finish_step()


def test_07_members_vote_before_it_closes_and_give_proxies(walk):
    need("api_vote", "api_closes_at", "members")
    for who in ("chloe", "emma"):
        walk.as_person(who)
        walk.open(walk.vote_path(state["api_vote"]), f"API vote page ({who})")
        left = seconds_left(state["api_closes_at"])
        assert left > 2, f"too slow: the vote closed before {who} could vote ({left:.0f} s left)"
        choice = API_VOTE["options"][API_BALLOTS[who]]
        walk.cast(f"API vote page after {who} voted", choice=choice)
        assert walk.last_notice == "Votre bulletin est enregistré.", walk.last_notice
        assert walk.recorded_ballot() == choice
    assert walk.turnout() == (len(API_BALLOTS), len(state["members"]))
    print(f"last ballot {seconds_left(state['api_closes_at']):.0f} s before the vote closes")
    if "assembly" not in state:
        walk.finish_step()
        return

    # chloé is convened, follows the notification and gives her proxy to alice
    walk.as_person("chloe")
    notes = [a for a in walk.els("ul.inbox a") if ASSEMBLY["title"] in a.text]
    assert notes, f"chloe is not convened: {walk.text('ul.inbox', default='(no inbox)')!r}"
    assert "vous convoque" in notes[0].text and ASSEMBLY["place"] in notes[0].text, notes[0].text
    walk.click_link(notes[0], "assembly page from the convocation")
    assert walk.path().lower() == f"/c/{COOP}/assemblies/{state['assembly']}".lower(), walk.path()
    assert not walk.els("select#member"), "a plain member may record someone else's attendance"
    walk.choose("select#status", value="represented")
    walk.choose("select#holder", text="Alice Morvan")
    walk.submit_form_of("select#status", "assembly page after chloe's proxy")
    assert _assembly_rows(walk).get("Chloé Bernard") == ("Représenté·e (pouvoir)", "Alice Morvan"), _assembly_rows(walk)
    assert "1 présent·e + 1 représenté·e" in _quorum_line(walk) and "— atteint." in _quorum_line(walk), _quorum_line(walk)

    # emma wants to give hers to alice too: the statutes allow one proxy per person
    walk.as_person("emma")
    walk.open(f"/c/{COOP}/assemblies/{state['assembly']}", "assembly page (emma)")
    walk.choose("select#status", value="represented")
    walk.choose("select#holder", text="Alice Morvan")
    walk.submit_form_of("select#status", "assembly page with the proxy refused", expect=422)
    assert "Cette personne porte déjà 1 pouvoir" in walk.text(".error-message"), walk.text(".error-message", default="")
    assert "Emma Guérin" not in _assembly_rows(walk), _assembly_rows(walk)
    walk.finish_step()


def test_08_non_member_is_refused(walk):
    need("api_vote")
    walk.as_person("bruno")
    pages = [(walk.vote_path(state["api_vote"]), "vote page as a non-member"),
             (f"/c/{COOP}/votes", "votes list as a non-member"),
             (f"/c/{COOP}/decisions", "decision log as a non-member")]
    if "assembly" in state:
        pages.append((f"/c/{COOP}/assemblies/{state['assembly']}", "assembly page as a non-member"))
    for path, label in pages:
        walk.open(path, label, expect=403)
        assert walk.text("h1") == "Impossible de continuer", walk.text("h1")
        assert "Vous n’avez pas le droit de faire cela." in walk.text(".error-message")
        assert API_VOTE["title"] not in walk.body() and ASSEMBLY["title"] not in walk.body()
    for path in (walk.vote_path(state["api_vote"]) + "/ballots.json", f"/c/{COOP}/decisions.csv"):
        assert walk.fetch(path)["status"] == 403, path
    walk.finish_step()


def test_09_result_after_closing(walk):
    need("api_vote", "api_closes_at", "members")
    walk.as_person("alice")
    path = walk.vote_path(state["api_vote"])
    # the job counts the vote at the first 30-second slot after its closing time
    deadline = time.monotonic() + min(90, max(0, seconds_left(state["api_closes_at"])) + 30 + 20)
    while True:
        walk.d.get(walk.base + path)
        if walk.els("#result-title"):
            break
        if time.monotonic() > deadline:
            pytest.fail(f"no 'Résultat' on {path} {-seconds_left(state['api_closes_at']):.0f} s after "
                        f"its closing time; page says {walk.text('p.meta', default='?')!r}", pytrace=False)
        time.sleep(2)
    print(f"result shown {-seconds_left(state['api_closes_at']):.0f} s after the closing time")
    walk.arrived("API vote page with the result")
    assert walk.text("#result-title") == "Résultat"
    assert "Clos" in walk.text("p.meta")
    assert not walk.els("form[action$='/ballot']"), "a closed vote still offers the ballot form"

    # the ranking matches the ballots cast: Oui 2, Non 1
    counts = {o: list(API_BALLOTS.values()).count(i) for i, o in enumerate(API_VOTE["options"])}
    expected = sorted(counts, key=lambda o: -counts[o])
    ranking = [li.text.strip() for li in walk.els("ol.ranking li")]
    assert ranking == expected, (ranking, counts)
    table = {cells[0].text: cells[1].text for cells in
             (row.find_elements(By.CSS_SELECTOR, "td") for row in walk.els("section[aria-labelledby='result-title'] tbody tr"))}
    assert table == {o: str(n) for o, n in counts.items()}, table
    assert "Quorum et majorité atteints." in walk.body()
    assert walk.turnout() == (len(API_BALLOTS), len(state["members"]))
    state["ranking"] = ranking

    # the board writes what was decided
    walk.fill("#statement", STATEMENT)
    walk.submit_form_of("#statement", "API vote page with the statement")
    assert walk.path().lower() == path.lower(), walk.path()
    notice = [n.text for n in walk.els("section[aria-labelledby='result-title'] .notice")]
    assert any("Décision du conseil" in n and STATEMENT in n for n in notice), notice
    assert walk.el("#statement").get_attribute("value") == STATEMENT
    walk.finish_step()


def test_10_ballot_file_names_no_one(walk):
    need("api_vote", "members", "ranking")
    path = walk.vote_path(state["api_vote"])
    if walk.path().lower() != path.lower():
        walk.open(path, "API vote page with the result")
    link = walk.el("a[href$='/ballots.json']")
    assert link.text == "Fichier des bulletins (anonymisé)"
    got = walk.fetch(link.get_attribute("href"))
    assert got["status"] == 200, got
    assert got["type"].startswith("application/json"), got["type"]
    assert got["disposition"].startswith("attachment"), got["disposition"]
    text = got["text"]
    data = json.loads(text)
    cast = sorted(API_VOTE["options"][i] for i in API_BALLOTS.values())
    assert sorted(data["ballots"]) == cast, data
    assert data["electorate"] == len(state["members"]) and data["options"] == API_VOTE["options"], data
    # no one is named: no email, no display name (whole or in part), no voter id
    assert "@" not in text, text
    for name in state["members"]:
        for part in [name] + name.split():
            assert part.lower() not in text.lower(), f"{part!r} appears in the ballot file:\n{text}"
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", text, re.I), f"an id appears in the ballot file:\n{text}"
    assert set(data) <= {"ballots", "electorate", "options", "majority", "quorum"}, sorted(data)

    # anyone can recount it: same ranking as the page
    binary = os.environ.get("MAILLAGE_BIN", DEFAULT_BIN)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        f.write(text)
    try:
        out = subprocess.run([binary, "tally", f.name, "--method", "single-choice"],
                             capture_output=True, text=True, timeout=30)
    finally:
        os.unlink(f.name)
    assert out.returncode == 0, out.stderr
    recount = json.loads(out.stdout)
    assert [" = ".join(group) for group in recount["ranking"]] == state["ranking"], recount
    walk.finish_step()


def test_11_decision_log(walk):
    need("api_vote", "form_vote", "members", "ranking")
    walk.as_person("alice")
    walk.open(f"/c/{COOP}/votes", "votes list after closing")
    sections = walk.list_sections()
    assert API_VOTE["title"] in sections["Clos"] and API_VOTE["title"] not in sections["Votes ouverts"], sections
    assert FORM_VOTE["title"] in sections["Votes ouverts"], sections
    walk.click_link([a for a in walk.els("main a") if a.text.strip() == "Registre des décisions"][0], "decision log")
    assert walk.text("h1") == "Registre des décisions"
    headers = [th.text.strip() for th in walk.els("main table thead th")]
    rows = {}
    for tr in walk.els("main table tbody tr"):
        cells = [td.text.strip() for td in tr.find_elements(By.CSS_SELECTOR, "td")]
        rows[cells[1]] = dict(zip(headers, cells))
    assert API_VOTE["title"] in rows, rows
    mine = rows[API_VOTE["title"]]
    assert mine["Participation"] == f"{len(API_BALLOTS)} / {len(state['members'])}", mine
    assert mine["Résultat"] == state["ranking"][0] and mine["Adoptée"] == "oui", mine
    assert FORM_VOTE["title"] not in rows, "an open vote is in the decision log"
    link = walk.d.find_element(By.LINK_TEXT, API_VOTE["title"])
    assert link.get_attribute("href").lower().endswith(walk.vote_path(state["api_vote"]).lower())

    # the CSV, as a spreadsheet would read it
    got = walk.fetch(walk.d.find_element(By.LINK_TEXT, "CSV").get_attribute("href"))
    assert got["status"] == 200 and got["type"].startswith("text/csv"), got
    assert got["disposition"].startswith("attachment"), got["disposition"]
    table = list(csv.DictReader(io.StringIO(got["text"])))
    line = [r for r in table if r["id"].lower() == state["api_vote"].lower()]
    assert len(line) == 1, got["text"]
    expected = {"title": API_VOTE["title"], "method": "single-choice", "secret": "false",
                "electorate": str(len(state["members"])), "participants": str(len(API_BALLOTS)),
                "adopted": "true", "winners": state["ranking"][0], "statement": STATEMENT}
    assert {k: line[0][k] for k in expected} == expected, line[0]
    assert not [r for r in table if r["id"].lower() == state["form_vote"].lower()]

    got = walk.fetch(walk.d.find_element(By.LINK_TEXT, "JSON").get_attribute("href"))
    assert got["status"] == 200, got
    entry = [e for e in json.loads(got["text"]) if e["id"].lower() == state["api_vote"].lower()]
    assert entry and entry[0]["winners"] == [state["ranking"][0]] and entry[0]["statement"] == STATEMENT, entry
    walk.finish_step()


def test_12_member_reads_the_result(walk):
    need("api_vote", "ranking")
    walk.as_person("chloe")
    notes = [a for a in walk.els("ul.inbox a") if API_VOTE["title"] in a.text and "résultat" in a.text.lower()]
    assert notes, f"chloe is not told the result is out: {walk.text('ul.inbox', default='(no inbox)')!r}"
    walk.click_link(notes[0], "API vote page from the closing notification")
    assert [li.text.strip() for li in walk.els("ol.ranking li")] == state["ranking"]
    assert STATEMENT in walk.body()
    assert not walk.els("#statement"), "a plain member is offered the board's statement form"
    walk.finish_step()


def test_13_assembly_minutes(walk):
    need("assembly", "ranking")
    walk.as_person("chloe")
    walk.open(f"/c/{COOP}/assemblies/{state['assembly']}", "assembly page (chloe)")
    walk.click_link([a for a in walk.els("main a") if a.text.strip() == "Procès-verbal"][0], "assembly minutes")
    assert walk.path().lower() == f"/c/{COOP}/assemblies/{state['assembly']}/minutes".lower(), walk.path()
    minutes = walk.el("article.minutes").text
    assert walk.text("h1") == "Procès-verbal"
    for text in (COOP_NAME, f"« {ASSEMBLY['title']} »", ASSEMBLY["place"], "18:30",
                 "Présent·e·s : Alice Morvan", "Représenté·e·s : Chloé Bernard (pouvoir à Alice Morvan)"):
        assert text in minutes, f"{text!r} not in the minutes:\n{minutes}"
    assert "— atteint." in minutes, minutes
    resolutions = {li.find_element(By.CSS_SELECTOR, "h3").text.strip(): li.text
                   for li in walk.els("article.minutes ol > li")}
    assert set(resolutions) == {FORM_VOTE["title"], API_VOTE["title"]}, resolutions
    decided = resolutions[API_VOTE["title"]]
    assert f"Participation : {len(API_BALLOTS)}. Résultat : {state['ranking'][0]} — résolution adoptée." in decided, decided
    assert STATEMENT in decided, decided
    assert "Vote non clos." in resolutions[FORM_VOTE["title"]], resolutions[FORM_VOTE["title"]]
    walk.finish_step()


def test_14_majority_judgment_shows_its_merit_profile(walk):
    walk.as_person("chloe")
    walk.open(f"/c/{COOP}/votes", "votes list")
    link = [a for a in walk.els("main a") if a.text.strip() == "Jour de retrait des paniers"]
    assert link, walk.list_sections()
    walk.click_link(link[0], "majority judgment result")
    # the merit profile: a drawing with its text alternative, and the same figures as a table
    chart = walk.el("main svg[role=img]")
    assert chart.find_element(By.CSS_SELECTOR, "title").get_attribute("textContent").strip(), "the chart has no title"
    rows = walk.els("table.merit-profile tbody tr")
    assert len(rows) == 3, [r.text for r in rows]
    assert all("%" in r.text for r in rows), [r.text for r in rows]
    # the tie is explained in words, and no one is told to run a command
    tie = walk.text(".tie-breaks")
    assert "même mention majoritaire" in tie and "l’emporte" in tie, tie
    assert "maillage tally" not in walk.body()
    walk.finish_step()


def test_15_a_form_sent_after_the_session_ended_keeps_what_was_typed(walk):
    walk.as_person("alice")
    walk.open(f"/c/{COOP}/votes/new", "new vote form")
    walk.fill("#title", "Une question tapée avant la fin de la session")
    walk.fill("#body", "Tout ce texte\nest rendu tel quel.")
    # the session ends while the page is open (a long pause, a restart of the browser)
    walk.d.delete_cookie("maillage_session")
    walk.submit_form_of("#title", "expired form", expect=403)
    assert walk.text("h1") == "Formulaire expiré"
    assert "rien n’a été enregistré" in walk.body()
    fields = {walk.d.find_element(By.CSS_SELECTOR, f"label[for='{c.get_attribute('id')}']").text.strip(): c.get_attribute("value")
              for c in walk.els("main form input[type=text], main form textarea")}
    assert fields.get("Question posée") == "Une question tapée avant la fin de la session", fields
    assert "Tout ce texte\nest rendu tel quel." in fields.values(), fields
    walk.who = None
    walk.finish_step()


def test_16_board_cancels_a_vote_after_a_question(walk):
    need("form_vote")
    walk.as_person("alice")
    walk.open(walk.vote_path(state["form_vote"]), "open vote (alice)")
    ask = [a for a in walk.els("main a.button.danger") if a.get_attribute("href").endswith("/cancel")]
    assert ask, "no way to cancel the open vote"
    walk.click_link(ask[0], "cancel question")
    consequences = walk.text(".confirm")
    assert "bulletin" in consequences, consequences
    walk.fill("#reason", "Question reportée à l’assemblée générale.")
    walk.submit(walk.el("main form button.danger"), "vote page after cancelling")
    assert walk.path() == walk.vote_path(state["form_vote"]), walk.path()
    assert "Vote annulé" in (walk.last_notice or ""), walk.last_notice
    assert "Question reportée à l’assemblée générale." in walk.body()
    assert not walk.els("form[action$='/ballot']"), "a cancelled vote still takes ballots"
    walk.finish_step()


def test_17_members_discuss_a_vote_and_staff_hide_a_reported_message(walk):
    need("api_vote")
    walk.as_person("chloe")
    walk.open(walk.vote_path(state["api_vote"]), "vote page (chloe)")
    walk.fill("section.thread textarea#body", "Merci @Alice Morvan : et si on en reparlait à l’AG ?")
    walk.submit(walk.el("section.thread form button[type=submit]"), "vote page after a message")
    assert walk.last_notice == "Message envoyé.", walk.last_notice
    assert "et si on en reparlait à l’AG ?" in walk.text("ul.thread")

    # Alice, named in it, reads it and reports it to the staff (she is on the board)
    walk.as_person("alice")
    walk.open(walk.vote_path(state["api_vote"]), "vote page (alice)")
    tools = walk.el("ul.thread details.thread-tools")
    tools.find_element(By.CSS_SELECTOR, "summary").click()
    tools.find_element(By.CSS_SELECTOR, "textarea[name=reason]").send_keys("Hors sujet pour ce vote.")
    walk.submit(tools.find_element(By.CSS_SELECTOR, "form[action$='/report'] button"), "vote page after a report")
    assert "Message signalé" in (walk.last_notice or ""), walk.last_notice

    # the staff are told, and follow the notice to their queue: the message, who reported it and why
    walk.open("/account", "alice's account")
    note = [a for a in walk.els("ul.inbox a") if "Hors sujet pour ce vote." in a.text]
    assert note, walk.text("ul.inbox", default="(no inbox)")
    walk.open(f"/c/{COOP}/moderation", "moderation queue")
    report = walk.el("ul.reports li")
    assert "Hors sujet pour ce vote." in report.text and "et si on en reparlait" in report.text, report.text
    walk.submit(report.find_element(By.CSS_SELECTOR, "form[action$='/hide'] button"), "moderation queue after hiding")
    assert walk.els("#no-reports"), walk.text("main")
    walk.open(walk.vote_path(state["api_vote"]), "vote page with the hidden message")
    assert "Message masqué par l’équipe de la coopérative." in walk.text("ul.thread")
    assert "et si on en reparlait" not in walk.text("ul.thread")
    walk.finish_step()


# --------------------------------------------------------------------------- end


def test_99_log_out(walk):
    if walk.logged_in():
        walk.log_out()
    assert not walk.logged_in()
    walk.who = None
    labels = [label for label, _, _ in walk.a11y.pages]
    print(f"axe ran on {len(labels)} pages so far: {', '.join(labels)}")
    walk.finish_step()
