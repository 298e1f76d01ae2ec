"""Every management page on a phone, 390 px wide, in a real browser against the real server.

The board, staff and producers of the demo cooperatives open the pages they manage with: the
cooperative's board page, order cycles and their reports, products, votes and their results,
general assemblies, money, the treasury, lending's staff page, the operators' pages, carpooling
(search and its results, publishing, a ride, a seat request and its conversation, one's rides,
alerts, communities, the staff's settings and meeting points). On each page:
nothing runs off the right edge (the page never scrolls sideways), every table is shown as stacked
cards or fits the width, date and time inputs are full-size, and axe finds no serious problem. A
screenshot of each page is kept in `e2e/artifacts/phone/` for a person to look at.

Same rules as the kernel walk (whose `Walk` it reuses): every page goes through axe, its HTTP
status and the console are checked.
"""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from conftest import ARTIFACTS, leave_anonymous
from test_kernel_walk import Walk

PASSWORD = "maillage-demo"
FOOD, LENDING, EXCHANGE, BARTER = "paniers-de-la-sevre", "preterie-de-reze", "coup-de-main-orvault", "troc-pro-loire-atlantique"
CARPOOL = "roulons-ensemble-estuaire"
WIDTH, HEIGHT = 390, 844
SHOTS = ARTIFACTS / "phone"
SCREENS = 4  # screenshots kept per page, from the top

# What the page looks like at the phone's width, measured in the page itself.
MEASURE = """
const vw = document.documentElement.clientWidth;
const found = [];
const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
    ' "' + (el.innerText || el.value || '').trim().slice(0, 40).replace(/\\s+/g, ' ') + '"';
if (document.documentElement.scrollWidth > vw + 1)
  found.push(`the page scrolls sideways (${document.documentElement.scrollWidth} px for ${vw} px)`);
// the element that clips `el` sideways, if any (a scrolling or clipping ancestor)
const clipper = el => {
  for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
    const o = getComputedStyle(p).overflowX;
    if (o === 'auto' || o === 'scroll' || o === 'hidden') return p;
  }
  return null;
};
const reported = new Set();
for (const el of document.querySelectorAll('body *')) {
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
  if (r.right <= vw + 1 && r.left >= -1) continue;
  if (r.right <= 0) continue;  // put wholly off to the left on purpose (the skip link until focused)
  if (el.closest('.visually-hidden, thead')) continue;
  const c = clipper(el);
  const culprit = c || el;
  if (reported.has(culprit)) continue;
  if (c) { const cr = c.getBoundingClientRect(); if (cr.right <= vw + 1 && !(c.tagName === 'TABLE' || c.querySelector('table'))) continue; }
  reported.add(culprit);
  found.push(c ? `${name(c)} has to be scrolled sideways to see ${name(el)}` : `${name(el)} runs off the edge (${Math.round(r.left)}…${Math.round(r.right)} px)`);
}
for (const t of document.querySelectorAll('main table')) {
  if (t.classList.contains('stack')) {
    const tr = t.querySelector('tbody tr');
    if (tr && getComputedStyle(tr).display === 'table-row') found.push(`${name(t)} is marked stacked but shows as a table`);
  } else if (t.scrollWidth > t.clientWidth + 1) {
    found.push(`${name(t)} is wider than the phone (${t.scrollWidth} px) and not stacked`);
  }
}
for (const c of document.querySelectorAll('main table > caption')) {
  const cw = c.getBoundingClientRect().width, tw = c.parentElement.getBoundingClientRect().width;
  if (cw < tw * 0.6) found.push(`${name(c)} is squeezed into ${Math.round(cw)} of the table's ${Math.round(tw)} px`);
}
for (const i of document.querySelectorAll('main input[type=date], main input[type=time], main input[type=datetime-local]')) {
  const r = i.getBoundingClientRect();
  const room = i.parentElement.getBoundingClientRect().width;
  if (r.width < Math.min(room, 576) * 0.9 || r.height < 36) found.push(`${name(i)} is not full-size (${Math.round(r.width)}×${Math.round(r.height)} px)`);
}
return found;
"""


class PhoneWalk(Walk):
    who = None
    seen = {}

    def as_person(self, who):
        if self.who == who and self.logged_in():
            return
        self.who = None
        if not self.d.current_url.startswith(self.base):
            self.open("/", "directory")
        self.log_in(f"{who}@demo.maillage.coop", PASSWORD, f"{who}'s account")
        assert self.logged_in(), f"{who} could not log in"
        self.who = who

    def look(self, path, label):
        """Opens `path` at the phone's width, keeps a screenshot, and notes what does not fit."""
        self.open(path, f"{label} (390 px)")
        SHOTS.mkdir(parents=True, exist_ok=True)
        # the first screens, as a person scrolls through them (a capture beyond the viewport would
        # lay the page out again at another size)
        name = re.sub(r"[^a-z0-9-]+", "-", label.lower()).strip("-")
        height, screen = self.d.execute_script("return [document.documentElement.scrollHeight, window.innerHeight]")
        for n in range(min(SCREENS, -(-height // screen))):
            self.d.execute_script("window.scrollTo(0, arguments[0])", n * screen)
            self.d.save_screenshot(str(SHOTS / f"{name}-{n + 1}.png"))
        self.d.execute_script("window.scrollTo(0, 0)")
        for problem in self.d.execute_script(MEASURE):
            self.problems.append(f"{label} ({path}): {problem}")
        self.seen[label] = path

    def links(self, pattern):
        """The distinct paths of the page's links that match `pattern`, in page order."""
        out = []
        for a in self.els("main a[href]"):
            path = a.get_attribute("href").removeprefix(self.base).split("#")[0]
            if re.fullmatch(pattern, path) and path not in out:
                out.append(path)
        return out

    def first_link(self, pattern, what):
        found = self.links(pattern)
        assert found, f"no link to {what} on {self.path()}"
        return found[0]


@pytest.fixture(scope="module")
def walk(driver, server, a11y):
    driver.set_window_size(WIDTH, HEIGHT)
    w = PhoneWalk(driver, server, a11y)
    yield w
    leave_anonymous(driver, server)
    driver.set_window_size(1280, 1000)


@pytest.fixture(autouse=True)
def _fresh_step(walk):
    walk.problems = []
    walk.axe_mark = len(walk.a11y.found)
    yield


UUID = r"[0-9A-Fa-f-]{36}"


def test_00_the_window_is_a_phone(walk):
    walk.open("/", "directory (390 px)")
    assert walk.d.execute_script("return document.documentElement.clientWidth") <= WIDTH


def test_01_food_board_cooperative_and_order_cycles(walk):
    walk.as_person("alice")
    base = f"/c/{FOOD}"
    for path, label in [(f"{base}/manage", "board page"), (f"{base}/edit", "cooperative edit"),
                        (f"{base}/invitations", "invitations"), (f"{base}/moderation", "moderation queue"),
                        (f"{base}/food/manage", "order cycles")]:
        walk.look(path, label)
    cycles = walk.links(rf"{base}/food/manage/cycles/{UUID}")
    assert len(cycles) >= 2, f"the demo has several order cycles: {cycles}"
    for n, cycle in enumerate(cycles):
        walk.look(cycle, f"order cycle {n + 1}")
        for report, label in [("harvest", "harvest report"), ("pickup", "pickup lists"), ("totals", "producer totals")]:
            if n == 0 or f"{cycle}/{report}" in walk.links(rf"{cycle}/{report}"):
                walk.look(f"{cycle}/{report}", f"{label} {n + 1}")
    walk.finish_step()


def test_02_food_board_governance(walk):
    walk.as_person("alice")
    base = f"/c/{FOOD}"
    walk.look(f"{base}/votes", "votes")
    votes = walk.links(rf"{base}/votes/{UUID}")
    assert len(votes) >= 3, f"the demo has an adopted, an open and a proposed vote: {votes}"
    walk.look(f"{base}/votes/new", "new vote")
    for n, vote in enumerate(votes):
        walk.look(vote, f"vote {n + 1}")
        for edit in walk.links(rf"{vote}/edit"):
            walk.look(edit, f"vote {n + 1} edit")
    walk.look(f"{base}/assemblies", "assemblies")
    assemblies = walk.links(rf"{base}/assemblies/{UUID}")
    assert assemblies, "the demo has a general assembly"
    walk.look(f"{base}/assemblies/new", "new assembly")
    for n, assembly in enumerate(assemblies):
        walk.look(assembly, f"assembly {n + 1}")
    for path, label in [(f"{base}/colleges", "college weights"), (f"{base}/decisions", "decision log")]:
        walk.look(path, label)
    walk.finish_step()


def test_03_food_board_money_and_operators(walk):
    walk.as_person("alice")
    base = f"/c/{FOOD}"
    walk.look(f"{base}/money", "money")
    statements = walk.links(rf"{base}/money/{UUID}")
    assert statements, "the money page lists accounts"
    walk.look(statements[0], "account statement")
    for path, label in [(f"{base}/treasury", "treasury"), (f"{base}/transparency", "transparency"),
                        ("/operators/cooperatives", "cooperatives to review"), ("/operators/mailbox", "operators mailbox"),
                        ("/account", "account"), ("/account/notifications", "notification choices"),
                        ("/account/two-factor", "two-factor authentication"), ("/account/blocks", "blocked people")]:
        walk.look(path, label)
    walk.finish_step()


def test_04_producer_products(walk):
    walk.as_person("gaelle")
    base = f"/c/{FOOD}/food/products"
    walk.look(base, "my products")
    walk.look(walk.first_link(rf"{base}/{UUID}", "a product"), "product edit")
    walk.look(f"{base}/new", "new product")
    walk.finish_step()


def test_05_lending_staff(walk):
    walk.as_person("katia")
    base = f"/c/{LENDING}/lending"
    for path, label in [(f"{base}/staff", "lending staff"), (f"{base}/loans", "loans"), (f"{base}/items/new", "new lending item")]:
        walk.look(path, label)
    walk.as_person("gaelle")
    walk.look(f"{base}/showcase", "showcase location")
    walk.finish_step()


def test_06_barter_and_exchange(walk):
    walk.as_person("victor")
    base = f"/c/{BARTER}"
    for path, label in [(f"{base}/barter", "barter"), (f"{base}/money", "barter money"), (f"{base}/treasury", "barter treasury")]:
        walk.look(path, label)
    walk.as_person("emma")
    walk.look(f"/c/{EXCHANGE}/exchange/new", "new offer or want")
    walk.look(f"/c/{EXCHANGE}/manage", "exchange board page")
    walk.log_out()
    walk.who = None
    walk.finish_step()


def test_07_carpool(walk):
    walk.as_person("alice")
    base = f"/c/{CARPOOL}/carpool"
    walk.look(base, "carpool search")
    # Saint-Nazaire → Nantes next Monday around 07:30: the demo's commuters are found
    today = datetime.now(ZoneInfo("Europe/Paris")).date()
    monday = today + timedelta(days=(0 - today.weekday()) % 7 or 7)
    walk.look(f"{base}?from=commune:Saint-Nazaire&to=commune:Nantes&date={monday.isoformat()}&time=07:30&looking_for=driver",
              "carpool search results")
    rides = walk.links(rf"{base}/ads/{UUID}\?.*")
    assert rides, "the demo's commuters are found"
    walk.look(f"{base}/new", "publish a ride")
    walk.look(f"{base}/mine", "my rides and requests")
    # Alice's seat with Samir, accepted, and their first words
    walk.look(walk.first_link(rf"{base}/asks/{UUID}", "a seat request"), "seat request")
    walk.look(rides[0], "a ride")
    walk.look(f"{base}/alerts", "carpool alerts")
    walk.look(f"{base}/communities", "carpool communities")
    walk.as_person("samir")
    walk.look(f"{base}/settings", "carpool settings")
    walk.look(f"{base}/mine", "my rides, a driver")
    walk.look(walk.first_link(rf"{base}/ads/{UUID}", "his ride"), "a ride, its driver")
    walk.log_out()
    walk.who = None
    walk.finish_step()
