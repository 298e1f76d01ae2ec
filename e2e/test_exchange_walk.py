"""A conversation on an offer, in a real browser against the real server (demo territory).

Rose (member of Coup de Main Orvault) finds Emma's hedge-trimming offer in the list and writes to
her under it, through the site: no address changes hands. Emma is told in her notices, follows the
notice (which marks it read) to the offer and answers; Rose is told in turn. Jules writes something
unwelcome; Emma blocks him: his message is folded away for her, and his next message no longer
reaches her notices. Théo, whose membership is still pending, sees the offer but not the
conversation.

Same rules as the kernel walk (whose `Walk` it reuses): steps run in file order, share one
browser and one server; every page goes through axe, its HTTP status and the console are checked.
"""

import pytest
from selenium.webdriver.common.by import By

from conftest import leave_anonymous
from test_kernel_walk import Walk

PASSWORD = "maillage-demo"
COOP = "coup-de-main-orvault"
EMAIL = {who: f"{who}@demo.maillage.coop" for who in ("rose", "emma", "jules", "theo")}
OFFER = "Taille de haies et d’arbustes"
ASK = "Bonjour Emma, seriez-vous libre en avril pour une haie d’une dizaine de mètres ?"
ANSWER = "Avec plaisir Rose : le samedi 11 avril au matin, ça vous va ?"
UNWELCOME = "Appelez plutôt mon cousin, il fait ça pour moins cher."

state = {}


class ExchangeWalk(Walk):
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

    def thread_texts(self):
        return [li.text for li in self.els("ul.thread > li")]

    def write(self, text, label):
        self.fill("section.thread textarea#body", text)
        self.submit(self.el("section.thread form[action$='/messages'] button[type=submit]"), label)
        assert self.last_notice == "Message envoyé.", self.last_notice

    def notices(self):
        """The person's notices, on their account page: [(text, unread, href)]."""
        self.open("/account", f"{self.who}'s notices")
        return [(li.text, "unread" in (li.get_attribute("class") or ""), li.find_element(By.CSS_SELECTOR, "a").get_attribute("href"))
                for li in self.els("ul.inbox > li")]


@pytest.fixture(scope="module")
def walk(driver, server, a11y):
    w = ExchangeWalk(driver, server, a11y)
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


def test_01_member_writes_to_the_author_under_the_offer(walk):
    walk.as_person("rose")
    walk.open(f"/c/{COOP}/exchange", "offers and wants")
    link = next((a for a in walk.els("main h2 a") if a.text.strip().endswith(OFFER)), None)
    assert link, f"the offer is listed: {[a.text for a in walk.els('main h2 a')]}"
    walk.click_link(link, "the offer")
    state["offer_path"] = walk.path()
    assert walk.text("section.thread h2") == "Écrire à l’auteur·e"
    # no address is shown: the thread goes through the site
    assert "@demo.maillage.coop" not in walk.body()
    walk.write(ASK, "the offer after writing")
    texts = walk.thread_texts()
    assert len(texts) == 1 and ASK in texts[0] and "Rose Fleury" in texts[0], texts
    walk.finish_step()


def test_02_author_is_told_follows_the_notice_and_answers(walk):
    need("offer_path")
    walk.as_person("emma")
    notices = walk.notices()
    told = [n for n in notices if "Rose Fleury" in n[0] and OFFER in n[0]]
    assert told, [n[0] for n in notices]
    text, unread, href = told[0]
    assert unread, f"a new notice is unread: {text}"
    assert "Bonjour Emma" in text, f"the notice quotes the message: {text}"
    walk.d.get(href)
    walk.arrived("the offer from the notice")
    assert walk.path() == state["offer_path"], walk.path()
    assert ASK in " ".join(walk.thread_texts())
    # opening the notice marked it read
    after = [n for n in walk.notices() if n[2] == href]
    assert after and not after[0][1], f"the notice opened is read: {after}"
    walk.open(state["offer_path"], "the offer (emma)")
    walk.write(ANSWER, "the offer after the answer")
    assert [ASK in walk.thread_texts()[0], ANSWER in walk.thread_texts()[1]] == [True, True], walk.thread_texts()
    walk.finish_step()


def test_03_asker_hears_the_answer(walk):
    need("offer_path")
    walk.as_person("rose")
    told = [n for n in walk.notices() if "Emma Guérin" in n[0] and OFFER in n[0]]
    assert told and told[0][1], "Rose has an unread notice of Emma's answer"
    walk.open(state["offer_path"], "the offer (rose)")
    assert ANSWER in " ".join(walk.thread_texts())
    walk.finish_step()


def test_04_author_blocks_an_unwelcome_writer(walk):
    need("offer_path")
    walk.as_person("jules")
    walk.open(state["offer_path"], "the offer (jules)")
    walk.write(UNWELCOME, "the offer after jules's message")

    walk.as_person("emma")
    walk.open(state["offer_path"], "the offer (emma, before blocking)")
    item = next(li for li in walk.els("ul.thread > li") if UNWELCOME in li.text)
    tools = item.find_element(By.CSS_SELECTOR, "details.thread-tools")
    tools.find_element(By.CSS_SELECTOR, "summary").click()
    block = tools.find_element(By.CSS_SELECTOR, "form[action$='/block'] button")
    assert "Jules Perrin" in block.text, block.text
    walk.submit(block, "the offer after blocking")
    assert "Personne bloquée" in (walk.last_notice or ""), walk.last_notice
    texts = " ".join(walk.thread_texts())
    assert UNWELCOME not in texts and "Message d’une personne que vous avez bloquée." in texts, texts
    # Rose's and Emma's own messages stay as they were
    assert ASK in texts and ANSWER in texts
    before = len([n for n in walk.notices() if "Jules Perrin" in n[0]])

    walk.as_person("jules")
    walk.open(state["offer_path"], "the offer (jules, blocked)")
    walk.write("Vous avez vu mon message ?", "the offer after jules's second message")

    walk.as_person("emma")
    after = len([n for n in walk.notices() if "Jules Perrin" in n[0]])
    assert after == before, "a blocked person's messages no longer reach Emma's notices"
    # the people she blocked are listed in one place, each with a way back
    walk.open(state["offer_path"], "the offer (emma, after blocking)")
    walk.click_link(walk.el("section.thread a[href='/account/blocks']"), "blocked people")
    assert [li.text.split("\n")[0].strip() for li in walk.els("ul.blocked-people > li")] == ["Jules Perrin"], walk.text("main")
    walk.finish_step()


def test_05_pending_member_sees_the_offer_not_the_conversation(walk):
    need("offer_path")
    walk.as_person("theo")
    walk.open(state["offer_path"], "the offer (theo, pending)")
    assert walk.text("h1").endswith(OFFER) or OFFER in walk.text("h1")
    assert not walk.els("section.thread"), "the conversation is for members"
    assert ASK not in walk.body()
    # told why, and what comes next
    assert "attend la décision du conseil" in walk.text(".members-only"), walk.text(".members-only", default="(nothing said)")
    walk.log_out()
    walk.who = None
    walk.finish_step()
