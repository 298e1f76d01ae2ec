"""Seeds a fresh `maillage serve --demo` for scripts/fuzz-api and writes schemathesis's configuration.

Random identifiers only ever reach "not found", and a token of the wrong person only "forbidden":
the fuzzer would never reach the rules behind them. So this script builds, through the API and
the pages like any user, a world in which every operation has a caller allowed to do it and real
identifiers in the state it needs; then it writes, per operation, that caller's token and
dictionaries of those identifiers, which the generator mixes with random values
(`probability` below).

Operations that use up what they act on (approving a request, accepting an invoice, posting a
pending transfer, confirming a loan's return…) each get their own records and a caller who can
change nothing else: a random or borrowed identifier then meets a refusal (403, 404, 409), which
is itself worth fuzzing, and never spends what another operation needs.

Usage: python fuzz_setup.py BASE_URL OUT_DIR (writes OUT_DIR/schemathesis.toml, and
OUT_DIR/fixtures.json with the token for operations given none here).
"""
import json
import os
import re
import sys
import uuid
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import requests

BASE, OUT = sys.argv[1], sys.argv[2]
DEMO_PASSWORD = "maillage-demo"
DEMO = "demo.maillage.coop"
try:
    PARIS = ZoneInfo("Europe/Paris")
except Exception:  # no time zone database: winter time, a day off only around midnight
    PARIS = timezone(timedelta(hours=1))
# How often a generated value is replaced by a real one: the rest stays random.
REAL = 0.85
TIMEOUT = 20


def fail(message):
    sys.exit(f"fuzz-api setup: {message}")


def say(message):
    print(f"   {message}", file=sys.stderr)


def lower(value):
    return str(value).lower()


# MARK: talking to the site

def csrf(html):
    m = re.search(r'name="_csrf" value="([^"]+)"', html)
    if not m:
        fail("no _csrf hidden input in the page")
    return m.group(1)


def browser(email, password):
    """A signed-in browser (cookies), for what only the pages do: tokens, joining, top-ups."""
    s = requests.Session()
    page = s.get(f"{BASE}/login", timeout=TIMEOUT)
    r = s.post(f"{BASE}/login", data={"_csrf": csrf(page.text), "email": email, "password": password},
               timeout=TIMEOUT, allow_redirects=False)
    if r.status_code not in (302, 303):
        fail(f"login of {email} failed: {r.status_code} {r.text[:300]}")
    return s


def form(s, page_path, post_path, data, expect=(302, 303)):
    page = s.get(f"{BASE}{page_path}", timeout=TIMEOUT)
    r = s.post(f"{BASE}{post_path}", data={"_csrf": csrf(page.text), **data}, timeout=TIMEOUT, allow_redirects=False)
    if r.status_code not in expect:
        fail(f"POST {post_path} failed: {r.status_code} {r.text[:300]}")
    return r


def new_token(s, name, scope="full"):
    page = s.get(f"{BASE}/account", timeout=TIMEOUT)
    # Full scope (a read-only token could not write) and no expiry; `dfc` for a hub's DFC orders.
    r = s.post(f"{BASE}/account/tokens", data={"_csrf": csrf(page.text), "name": name, "scope": scope, "lifetime": "never"},
               timeout=TIMEOUT)
    m = re.search(r'<code[^>]*id="new-token"[^>]*>([^<]+)</code>', r.text)
    if r.status_code != 200 or not m:
        fail(f"token creation failed: {r.status_code} (no code#new-token)")
    return m.group(1).strip()


class Person:
    """Someone of the fuzz world: a browser and a personal access token."""

    def __init__(self, email, password, token_name):
        self.email = email
        self.browser = browser(email, password)
        self.token = new_token(self.browser, token_name)
        self.api = requests.Session()
        self.api.headers["Authorization"] = f"Bearer {self.token}"
        self.id = lower(self.call("GET", "/api/v1/me")["id"])

    def call(self, method, path, body=None, expect=(200, 201, 204), headers=None):
        r = self.api.request(method, f"{BASE}{path}", json=body, timeout=TIMEOUT, headers=headers or {})
        if r.status_code not in expect:
            fail(f"{self.email}: {method} {path} -> {r.status_code} {r.text[:400]}")
        return r.json() if r.content else None


def demo(handle):
    return Person(f"{handle}@{DEMO}", DEMO_PASSWORD, "fuzz-api")


# MARK: the world

now = datetime.now(timezone.utc).replace(microsecond=0)
today = now.astimezone(PARIS).date()


def instant(delta):
    return (now + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


def day(offset):
    return (today + timedelta(days=offset)).isoformat()


# The people, all of the demo territory: the instance made their accounts, so their addresses
# are confirmed (a new sign-up may read but not join nor create before confirming). Roles in the
# fuzz cooperative: board (its creator), staff, and plain members who each play one side of what
# two members do together (lend/borrow, invoice/pay); someone outside it; the registrar of two
# membership desks; someone whose tokens get revoked. And the demo food cooperative's
# coordinator (board) and two of its shoppers.
board, staff, member, neighbour = demo("samir"), demo("nael"), demo("oceane"), demo("paul")
borrower, outsider, registrar, revoker = demo("quentin"), demo("rose"), demo("theo"), demo("ursule")
alice, emma, farid = demo("alice"), demo("emma"), demo("farid")
say("people and tokens ready")

# The fuzz cooperative runs every activity, so every module's operations apply to it.
SLUG = "fuzz-cooperative"
coop = board.call("POST", "/api/v1/cooperatives", {
    "name": "Fuzz Coopérative", "slug": SLUG, "legalForm": "scic", "commune": "Nantes",
    "description": "A cooperative made by scripts/fuzz-api for the fuzzer.",
    "activities": ["food", "delivery", "carpool", "lending", "exchange", "barter"],
    "colleges": ["Producteurs", "Mangeurs", "Salariés"], "shareNominalCents": 2000}, expect=(201,))
colleges = [lower(c["id"]) for c in coop["colleges"]]


def approve(created):
    """A new cooperative is public once the instance's operators approve it (Alice is one)."""
    form(alice.browser, "/operators/cooperatives", f"/operators/cooperatives/{created['id']}/approve", {})


approve(coop)
for index, person in enumerate([staff, member, neighbour, borrower]):
    asked = person.call("POST", f"/api/v1/cooperatives/{SLUG}/memberships",
                        {"college": colleges[index % len(colleges)], "shares": 2, "message": "fuzz"}, expect=(201,))
    board.call("POST", f"/api/v1/cooperatives/{SLUG}/memberships/{asked['id']}/approve")
    if person is staff:
        board.call("PUT", f"/api/v1/cooperatives/{SLUG}/memberships/{asked['id']}/role", {"role": "staff"})

# Invitations waiting to be withdrawn (each once).
invitations_to_withdraw = [lower(board.call("POST", f"/api/v1/cooperatives/{SLUG}/invitations",
                                            {"email": f"fuzz-invite-{n}@example.org", "college": colleges[0], "shares": 1},
                                            expect=(201,))["id"]) for n in range(6)]

# Two membership desks, run by the registrar, whose own membership no operation can name. In the
# first, requests wait for approval and members for their departure; in the second, requests
# wait to be declined and members for a new role: approving a request meant to be declined, or
# recording the departure of a member whose role is to change, cannot happen.
DESKS = {"approve": "fuzz-adhesions", "decline": "fuzz-roles"}
for slug in DESKS.values():
    approve(registrar.call("POST", "/api/v1/cooperatives", {
        "name": f"Fuzz {slug}", "slug": slug, "legalForm": "association-1901", "commune": "Nantes",
        "description": "Membership requests and departures for the fuzzer.", "activities": ["exchange"]}, expect=(201,)))
applicants = ["bruno", "chloe", "hugo", "ines", "jules", "katia"]
for handle in applicants:
    s = browser(f"{handle}@{DEMO}", DEMO_PASSWORD)
    for slug in DESKS.values():
        form(s, f"/c/{slug}", f"/c/{slug}/join", {"message": "fuzz"})
desk = {}
for key, slug in DESKS.items():
    pending = [lower(m["id"]) for m in registrar.call("GET", f"/api/v1/cooperatives/{slug}/memberships?status=pending")["data"]]
    if len(pending) != len(applicants):
        fail(f"{slug}: expected {len(applicants)} pending requests, got {len(pending)}")
    waiting, admitted = pending[:3], pending[3:]
    for membership in admitted:
        registrar.call("POST", f"/api/v1/cooperatives/{slug}/memberships/{membership}/approve")
    desk[key] = (waiting, admitted)
say(f"cooperative {SLUG} with board, staff and 3 members; desks {', '.join(DESKS.values())}")

# Governance: open single-choice votes (the board's open at once) and an assembly to come.
proposals = [lower(board.call("POST", f"/api/v1/cooperatives/{SLUG}/proposals", {
    "title": f"Question {n} du fuzz", "method": "single-choice", "options": ["Oui", "Non"],
    "closesAt": instant(timedelta(days=7)), "quorum": "1/4"}, expect=(201,))["id"]) for n in range(3)]
# Votes for the board to change before they open, and open ones to cancel.
to_edit = [lower(board.call("POST", f"/api/v1/cooperatives/{SLUG}/proposals", {
    "title": f"Question à venir {n} du fuzz", "method": "single-choice", "options": ["Oui", "Non"],
    "opensAt": instant(timedelta(days=3)), "closesAt": instant(timedelta(days=10)), "quorum": "1/4"},
    expect=(201,))["id"]) for n in range(3)]
to_cancel_votes = [lower(board.call("POST", f"/api/v1/cooperatives/{SLUG}/proposals", {
    "title": f"Question à annuler {n} du fuzz", "method": "single-choice", "options": ["Oui", "Non"],
    "closesAt": instant(timedelta(days=7)), "quorum": "1/4"}, expect=(201,))["id"]) for n in range(3)]
assemblies = [lower(board.call("POST", f"/api/v1/cooperatives/{SLUG}/assemblies", {
    "title": f"Assemblée {n} du fuzz", "startsAt": instant(timedelta(days=30 + n)), "place": "Salle des fêtes"},
    expect=(201,))["id"]) for n in range(2)]

# Money: the board credits wallets (a page: it opens them), then transfers through the API.
for person, amount in ((member, "1000"), (staff, "1000"), (neighbour, "100")):
    form(board.browser, f"/c/{SLUG}/money", f"/c/{SLUG}/money/top-up",
         {"member": person.id, "amount": amount, "memo": "fuzz", "nonce": str(uuid.uuid4())})
accounts = board.call("GET", f"/api/v1/cooperatives/{SLUG}/accounts")["data"]
clearing = [lower(a["id"]) for a in accounts if a["purpose"] == "clearing"]
wallet = {lower(a["owner"]): lower(a["id"]) for a in accounts if a["purpose"] == "wallet"}
if not clearing or not all(p.id in wallet for p in (member, staff, neighbour)):
    fail(f"top-ups did not open the expected accounts: {accounts}")


def transfer(person, debit, credit, cents, pending=False):
    return lower(person.call("POST", f"/api/v1/cooperatives/{SLUG}/transfers",
                             {"debit": debit, "credit": credit, "amount": cents, "memo": "fuzz", "pending": pending},
                             expect=(201,))["id"])


# Reversed by the board; posted by the member who reserved them; released by the staff member
# who reserved theirs (neither can settle the other's).
to_reverse = [transfer(board, clearing[0], wallet[neighbour.id], 500) for _ in range(3)]
to_post = [transfer(member, wallet[member.id], wallet[neighbour.id], 200, pending=True) for _ in range(3)]
to_void = [transfer(staff, wallet[staff.id], wallet[neighbour.id], 200, pending=True) for _ in range(3)]
member_accounts = [lower(a["id"]) for a in member.call("GET", f"/api/v1/cooperatives/{SLUG}/accounts")["data"]]

# Barter: the member pays invoices the neighbour sent; the staff member declines theirs; the
# member withdraws invoices they sent.
def invoice(seller, buyer, cents):
    return lower(seller.call("POST", f"/api/v1/cooperatives/{SLUG}/barter/invoices",
                             {"buyer": buyer.id, "amount": cents, "description": "Prestation du fuzz"}, expect=(201,))["id"])


to_accept = [invoice(neighbour, member, 1000) for _ in range(3)]
to_decline = [invoice(neighbour, staff, 1000) for _ in range(3)]
to_cancel = [invoice(member, neighbour, 1000) for _ in range(3)]
say(f"{len(proposals)} votes, {len(assemblies)} assemblies, 9 transfers, 9 invoices")

# Lending: the member lends; requests wait for their answer (accepted by the member, declined by
# the neighbour on their own item, cancelled by the borrower who asked); three loans running
# today wait for a handover, a return and a review.
def item(owner, title):
    return lower(owner.call("POST", f"/api/v1/cooperatives/{SLUG}/lending/items", {
        "title": title, "category": "bricolage", "condition": "bon", "maximumLoanDays": 30, "commune": "Nantes",
        "description": "Un objet du fuzz."}, expect=(201,))["id"])


def loan(person, item_id, first, last):
    return lower(person.call("POST", f"/api/v1/cooperatives/{SLUG}/lending/items/{item_id}/loans",
                             {"firstDay": day(first), "lastDay": day(last), "message": "fuzz"}, expect=(201,))["id"])


def step(person, loan_id, action):
    person.call("POST", f"/api/v1/cooperatives/{SLUG}/lending/loans/{loan_id}/{action}")


lent = item(member, "Perceuse du fuzz")
neighbours_item = item(neighbour, "Tente du fuzz")
items = [lent, neighbours_item]
loans_to_accept = [loan(neighbour, lent, d, d) for d in (10, 12, 14)]
loans_to_cancel = [loan(borrower, lent, d, d) for d in (20, 22, 24)]
loans_to_decline = [loan(member, neighbours_item, d, d) for d in (10, 12, 14)]
running = {}
for stage in ("handover", "return", "review"):
    running_item = item(member, f"Objet du fuzz ({stage})")
    items.append(running_item)
    running[stage] = loan(neighbour, running_item, 0, 1)
    step(member, running[stage], "accept")
    if stage != "handover":
        step(member, running[stage], "handover")
        step(neighbour, running[stage], "handover")
    if stage == "review":
        step(member, running[stage], "return")
        step(neighbour, running[stage], "return")
member_loans = loans_to_accept + loans_to_cancel + loans_to_decline + list(running.values())

# Exchange: an offer a recorded service may name.
member.call("POST", f"/api/v1/cooperatives/{SLUG}/exchange/offers-wants", {
    "exchange_type": "offer", "item_type": "service", "transaction_type": ["receive-donate"], "title": "Aide au jardin",
    "description": "Un coup de main du fuzz.", "commune": "Nantes"}, expect=(201,))
feed = member.call("GET", f"/api/v1/cooperatives/{SLUG}/exchange/offers-wants")["data"]
offer_ids = sorted({lower(m.group(0)) for p in feed for m in
                    re.finditer(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", p.get("details_url", ""))})
if not offer_ids:
    fail(f"no offer id in the exchange feed: {feed}")
say(f"{len(items)} items, {len(member_loans)} loans, {len(offer_ids)} offer")

# Carpool: the member drives a weekday commute; the neighbour asks seats on it, for the driver
# to accept or decline; more ads for their author to withdraw.
weekdays_ahead = [day(n) for n in range(1, 22) if (today + timedelta(days=n)).isoweekday() <= 5]
CARPOOL = f"/api/v1/cooperatives/{SLUG}/carpool"


def commute(person, seats=8):
    return lower(person.call("POST", f"{CARPOOL}/ads", {
        "role": "driver", "from": {"commune": "Saint-Nazaire"}, "to": {"commune": "Nantes"}, "frequency": "regular",
        "untilDate": day(60), "seats": seats, "schedule": [{"weekday": d, "outward": "07:15", "return": "17:45"} for d in range(1, 6)]},
        expect=(201,))["id"])


carpool_ad = commute(member)
ads_to_withdraw = [commute(member, 3) for _ in range(3)]
asks_to_answer = [lower(neighbour.call("POST", f"{CARPOOL}/ads/{carpool_ad}/asks", {"date": d}, expect=(201,))["id"])
                  for d in weekdays_ahead[:8]]
# The board chose payment through the accounts: the neighbour pays accepted seats (once each).
form(board.browser, f"/c/{SLUG}/carpool/settings", f"/c/{SLUG}/carpool/settings", {"contribution": "at-cost", "rate": "0,06", "payment": "ledger"})
asks_to_pay = [lower(neighbour.call("POST", f"{CARPOOL}/ads/{carpool_ad}/asks", {"date": d, "leg": "return"}, expect=(201,))["id"])
               for d in weekdays_ahead[:4]]
for ask in asks_to_pay:
    member.call("POST", f"{CARPOOL}/asks/{ask}/accept")
communities = [lower(staff.call("POST", f"{CARPOOL}/communities", {"name": f"Communauté du fuzz {n}", "joining": "open"},
                                expect=(201,))["id"]) for n in range(4)]
# A relay point (the staff's page) and an open community the neighbour joins: real values an ad may name.
for name, commune in (("Gare du fuzz", "Nantes"), ("Aire du fuzz", "Saint-Nazaire")):
    form(staff.browser, f"/c/{SLUG}/carpool/settings", f"/c/{SLUG}/carpool/relay-points",
         {"name": name, "kind": "station", "commune": commune, "lat": "", "lon": "", "description": ""})
relay_points = [lower(p["id"]) for p in neighbour.call("GET", f"{CARPOOL}/relay-points")["data"]]
neighbour.call("POST", f"{CARPOOL}/communities/{communities[0]}/members")
carpool_alerts = [lower(neighbour.call("POST", f"{CARPOOL}/alerts", {"lookingFor": "driver", "origin": {"commune": "Savenay"},
                                                                    "destination": {"commune": "Nantes"}}, expect=(201,))["id"]) for _ in range(4)]
say(f"carpool: 1 commute, {len(asks_to_answer)} requests to answer, {len(asks_to_pay)} to pay, {len(communities)} communities, "
    f"{len(carpool_alerts)} alerts")

# A partner operator's key for the standard covoiturage API, made by the board on the partners page
# (shown once, in the page's notice), the commute's journeys it can book, and bookings it made.
made = form(board.browser, f"/c/{SLUG}/carpool/partners", f"/c/{SLUG}/carpool/partners", {"name": "Partenaire du fuzz"})
page = board.browser.get(f"{BASE}/c/{SLUG}/carpool/partners", timeout=TIMEOUT).text
keys = re.findall(r"mlc_[A-Za-z0-9_-]+", made.text + page)
if not keys:
    fail("no partner key on the partners page")
PARTNER_KEY = keys[0]
STANDARD = f"/api/v1/cooperatives/{SLUG}/carpool/standard"
NANTES, SAINT_NAZAIRE = (47.2184, -1.5536), (47.2736, -2.2139)
first_day = datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=PARIS)
while first_day.isoweekday() > 5:
    first_day += timedelta(days=1)
pickup_time = int((first_day + timedelta(hours=7, minutes=15)).timestamp())
partner_journeys = requests.get(f"{BASE}{STANDARD}/driver_journeys", headers={"X-API-Key": PARTNER_KEY}, timeout=TIMEOUT, params={
    "departureLat": SAINT_NAZAIRE[0], "departureLng": SAINT_NAZAIRE[1], "arrivalLat": NANTES[0], "arrivalLng": NANTES[1],
    "departureDate": pickup_time, "timeDelta": 3600, "departureRadius": 5, "arrivalRadius": 5}).json()
journey_ids = [j["id"] for j in partner_journeys if isinstance(j, dict) and "id" in j]
if not journey_ids:
    fail(f"the partner finds no journey of the commute: {partner_journeys}")
# Bookings are used up as they move on (a cancelled one moves no further): the partner's moves and
# its booking events each get their own, and reading or writing about a booking uses a third set.
partner_bookings = []
for n in range(18):
    booking = str(uuid.uuid4())
    r = requests.post(f"{BASE}{STANDARD}/bookings", headers={"X-API-Key": PARTNER_KEY}, timeout=TIMEOUT, json={
        "id": booking, "status": "WAITING_CONFIRMATION", "driverJourneyId": journey_ids[0],
        "driver": {"id": "x", "alias": "x", "operator": "example.coop"},
        "passenger": {"id": f"p-{n}", "alias": "Camille", "operator": "partenaire.example.org"},
        "passengerPickupDate": pickup_time, "passengerPickupLat": SAINT_NAZAIRE[0], "passengerPickupLng": SAINT_NAZAIRE[1],
        "passengerDropLat": NANTES[0], "passengerDropLng": NANTES[1], "price": {"type": "FREE"}})
    if r.status_code not in (200, 201):
        fail(f"partner booking: {r.status_code} {r.text[:300]}")
    partner_bookings.append(booking)
bookings_to_move, bookings_for_events, partner_bookings = partner_bookings[:6], partner_bookings[6:12], partner_bookings[12:]
say(f"standard covoiturage: a partner key, {len(journey_ids)} journeys, 18 bookings")

# Delivery, at the demo's Coursiers Nantais: a store token made by its staff (Naël) on a store's
# page (shown once, in the page's notice), deliveries ordered with it to read, and others to cancel.
DELIVERY_SLUG = "coursiers-nantais"
DELIVERY = f"/api/v1/cooperatives/{DELIVERY_SLUG}/delivery"
delivery_stores = re.findall(r"/delivery/stores/([0-9a-fA-F-]{36})", staff.browser.get(f"{BASE}/c/{DELIVERY_SLUG}/delivery/manage", timeout=TIMEOUT).text)
if not delivery_stores:
    fail("no store on the delivery desk of the demo")
connect = f"/c/{DELIVERY_SLUG}/delivery/stores/{delivery_stores[0]}/connect"
made = form(staff.browser, connect, f"/c/{DELIVERY_SLUG}/delivery/stores/{delivery_stores[0]}/tokens", {"token_name": "Fuzz"})
store_tokens = re.findall(r"mld_[A-Za-z0-9_-]+", made.text + staff.browser.get(f"{BASE}{connect}", timeout=TIMEOUT).text)
if not store_tokens:
    fail("no store token on the store's page")
STORE_TOKEN = store_tokens[0]
DELIVERY_ORDER = {"vehicle": "bike", "tasks": [
    {"kind": "pickup", "address": "12 rue de la Marne, Nantes", "commune": "Nantes"},
    {"kind": "dropoff", "address": "8 rue Fouré, Nantes", "commune": "Nantes", "packages": [{"type": "Caisse de légumes", "quantity": 1}]}]}


def store_delivery():
    r = requests.post(f"{BASE}{DELIVERY}/deliveries", headers={"X-Delivery-Token": STORE_TOKEN}, json=DELIVERY_ORDER, timeout=TIMEOUT)
    if r.status_code != 201:
        fail(f"store delivery: {r.status_code} {r.text[:300]}")
    return lower(r.json()["id"])


# A cancelled delivery cancels no further: cancelling gets its own.
store_deliveries = [store_delivery() for _ in range(3)]
store_deliveries_to_cancel = [store_delivery() for _ in range(8)]
say(f"delivery: a store token, {len(store_deliveries) + len(store_deliveries_to_cancel)} deliveries")

# Food, in the demo cooperative: its open cycle, what it sells, and orders waiting to be
# confirmed (held by one shopper) or cancelled (another shopper's).
FOOD = "paniers-de-la-sevre"
cycles = emma.call("GET", f"/api/v1/cooperatives/{FOOD}/food/cycles")["data"]
open_cycles = [c for c in cycles if c["phase"] == "open"]
if not open_cycles:
    fail(f"no open cycle in {FOOD}: {cycles}")
cycle = open_cycles[0]
cycle_ids = [lower(c["id"]) for c in cycles]
products = []
for page in (1, 2, 3):
    products += emma.call("GET", f"/api/v1/cooperatives/{FOOD}/food/cycles/{cycle['id']}/products?page={page}")["data"]
variants = [lower(v["id"]) for p in products for v in p["variants"] if v.get("available") is None or v["available"] >= 10]
producers = sorted({lower(p["producer"]["id"]) for p in products})
categories = sorted({p["category"] for p in products})
first_point = cycle["pickupPoints"][0]
# One point and its own slots: a slot drawn at random for another point would only be refused.
points, slots = [lower(first_point["id"])], [lower(s["id"]) for s in first_point["slots"]]


def order(shopper, confirm):
    return lower(shopper.call("POST", f"/api/v1/cooperatives/{FOOD}/food/cycles/{cycle['id']}/orders", {
        "lines": [{"variantId": variants[0], "quantity": 1}], "pickupPointId": first_point["id"],
        "slotId": first_point["slots"][0]["id"], "payment": "atPickup", "confirm": confirm}, expect=(201,))["id"])


to_confirm = [order(emma, False) for _ in range(3)]
emmas_orders = to_confirm + [order(emma, True)]
to_cancel_orders = [order(farid, True) for _ in range(3)]
say(f"{FOOD}: cycle {cycle['name']!r}, {len(variants)} variants, {len(producers)} producers, 7 orders")


# Orders by DFC: a hub holds a DFC-only token of the coordinator, and orders placed with it to
# read, change and cancel. Bodies name our offers as our DFC catalog does (fuzz_hooks.py mixes
# them into generated ones); each has an @id, so sending one again is the same order, not more stock.
class TokenOnly:
    def __init__(self, token):
        self.token = token


hub = TokenOnly(new_token(alice.browser, "fuzz-api-dfc", scope="dfc"))
variant_producer = {lower(v["id"]): lower(p["producer"]["id"]) for p in products for v in p["variants"]}
SALE_SESSION = f"{BASE}/api/v1/cooperatives/{FOOD}/food/cycles/{lower(cycle['id'])}"


def dfc_body(variant, quantity, order_id=None):
    body = {"@context": "https://www.datafoodconsortium.org", "@type": "dfc-b:Order", "dfc-b:belongsTo": SALE_SESSION,
            "dfc-b:hasPart": [{"@type": "dfc-b:OrderLine", "dfc-b:quantity": quantity,
                               "dfc-b:concerns": f"{BASE}/api/v1/dfc/enterprises/{variant_producer[variant]}/supplied_products/{variant}/offer"}]}
    if order_id:
        body["@id"] = order_id
    return body


def dfc_order(n):
    r = requests.post(f"{BASE}/api/v1/cooperatives/{FOOD}/food/dfc/orders", json=dfc_body(variants[0], 1, f"https://hub.fuzz.example/orders/setup-{n}"),
                      headers={"Authorization": f"Bearer {hub.token}"}, timeout=TIMEOUT)
    if r.status_code != 201:
        fail(f"DFC order: {r.status_code} {r.text[:300]}")
    return next(n["@id"] for n in r.json()["@graph"] if n.get("@type") == "dfc-b:Order").rsplit("/", 1)[-1]


dfc_to_change, dfc_to_cancel = [dfc_order(n) for n in range(3)], [dfc_order(n) for n in range(3, 6)]
dfc_bodies = [dfc_body(v, q, f"https://hub.fuzz.example/orders/{v}-{q}") for v in variants[:4] for q in (1, 2)]
say(f"DFC: a hub's token, {len(dfc_to_change) + len(dfc_to_cancel)} orders, {len(dfc_bodies)} order bodies")

# Tokens the revoker may revoke; the one it signs in with is never named.
for n in range(3):
    new_token(revoker.browser, f"fuzz-api-revocable-{n}")
revocable = [lower(t["id"]) for t in revoker.call("GET", "/api/v1/me/tokens")["data"] if t["name"].startswith("fuzz-api-revocable")]

slugs = [c["slug"] for c in requests.get(f"{BASE}/api/v1/cooperatives", timeout=TIMEOUT).json()["data"]]

# MARK: the configuration

dictionaries = {
    "slug-delivery": [DELIVERY_SLUG], "store-token": [STORE_TOKEN], "store-deliveries": store_deliveries,
    "store-deliveries-to-cancel": store_deliveries_to_cancel,
    "slug-fuzz": [SLUG], "slug-food": [FOOD], "slug-approve": [DESKS["approve"]], "slug-decline": [DESKS["decline"]],
    "slug-any": slugs, "slug-money": [SLUG, FOOD],
    "colleges": colleges,
    "proposals": proposals, "assemblies": assemblies, "ballots": ["Oui", "Non"],
    "proposals-to-edit": to_edit, "proposals-to-cancel": to_cancel_votes,
    "departure-reasons": ["Lettre de démission", "Décision de l’assemblée"],
    "vote-closes": [instant(timedelta(days=7)), instant(timedelta(days=20))],
    "vote-opens": [instant(timedelta(0)), instant(timedelta(days=1))],
    "quorums": ["1/4", "1/2", "1/5", "1"],
    "assembly-starts": [instant(timedelta(days=40)), instant(timedelta(days=60))],
    "attendee": [member.id], "proxy-holders": [neighbour.id, staff.id],
    "requests-to-approve": desk["approve"][0], "members-to-leave": desk["approve"][1],
    "requests-to-decline": desk["decline"][0], "members-to-change": desk["decline"][1],
    "member-accounts": member_accounts, "debit-accounts": clearing, "credit-accounts": sorted(wallet.values()),
    "member-transfers": to_post, "transfers-to-post": to_post, "transfers-to-void": to_void, "transfers-to-reverse": to_reverse,
    "statement-from": [f"{today.year}-01-01", day(-30)], "statement-to": [day(0), f"{today.year}-12-31"],
    "invoice-buyers": [neighbour.id, staff.id],
    "invoices-to-accept": to_accept, "invoices-to-decline": to_decline, "invoices-to-cancel": to_cancel,
    "items": items, "items-to-borrow": [lent] + items[2:],
    "loan-first-days": [day(40), day(45)], "loan-last-days": [day(46), day(50)],
    "member-loans": member_loans, "loans-to-accept": loans_to_accept, "loans-to-decline": loans_to_decline,
    "loans-to-cancel": loans_to_cancel, "loans-to-hand-over": [running["handover"]], "loans-to-return": [running["return"]],
    "loans-to-review": [running["review"]],
    "thread-kinds": ["offer-want"],
    "counterparts": [neighbour.id], "offers": offer_ids, "service-days": [day(0), day(-1)], "offer-expiries": [day(30), day(200)],
    "cycles": cycle_ids, "open-cycles": [lower(cycle["id"])], "variants": variants, "pickup-points": points, "slots": slots,
    "producers": producers, "categories": categories,
    "orders-to-read": emmas_orders, "orders-to-confirm": to_confirm, "orders-to-cancel": to_cancel_orders,
    "dfc-orders-to-read": dfc_to_change + emmas_orders, "dfc-orders-to-change": dfc_to_change, "dfc-orders-to-cancel": dfc_to_cancel,
    "tokens-to-revoke": revocable,
    "invitations-to-withdraw": invitations_to_withdraw,
    "invite-emails": [f"fuzz-invited-{n}@example.org" for n in range(40)],
    "carpool-ads": [carpool_ad], "carpool-ads-to-withdraw": ads_to_withdraw, "carpool-days": weekdays_ahead,
    "carpool-asks-to-answer": asks_to_answer, "carpool-asks-to-pay": asks_to_pay,
    "relay-points": relay_points, "joined-communities": [communities[0]], "ad-roles": ["driver", "passenger", "both"], "alert-roles": ["driver", "passenger"],
    "punctual": ["punctual"], "ad-times": ["07:30", "17:45"], "waiting": ["WAITING_CONFIRMATION"],
    "partner-key": [PARTNER_KEY], "partner-journeys": journey_ids, "partner-bookings": partner_bookings,
    "partner-bookings-to-move": bookings_to_move, "partner-bookings-for-events": bookings_for_events,
    "booking-moves": ["CONFIRMED", "CANCELLED"],
    "partner-pickup-dates": [pickup_time], "lat-saint-nazaire": [SAINT_NAZAIRE[0]], "lng-saint-nazaire": [SAINT_NAZAIRE[1]],
    "lat-nantes": [NANTES[0]], "lng-nantes": [NANTES[1]], "radii": [5, 20],
    "carpool-communities": communities[:2], "carpool-communities-to-close": communities[2:], "carpool-alerts": carpool_alerts,
    "carpool-communes": ["Saint-Nazaire", "Nantes", "Savenay"], "carpool-actions": ["accept", "decline"],
}

# Per operation: who calls it, and which values are real. A binding is (dictionary[, probability]).
SLUG_FUZZ = {"path.slug": "slug-fuzz"}
SLUG_FOOD = {"path.slug": "slug-food"}
PARTNER = {**SLUG_FUZZ, "header.X-API-Key": "partner-key"}
STORE = {"path.slug": "slug-delivery", "header.X-Delivery-Token": "store-token"}
TRIP_QUERY = {"query.departureLat": "lat-saint-nazaire", "query.departureLng": "lng-saint-nazaire", "query.arrivalLat": "lat-nantes",
              "query.arrivalLng": "lng-nantes", "query.departureRadius": "radii", "query.arrivalRadius": "radii"}
JOURNEY_QUERY = {**TRIP_QUERY, "query.departureDate": "partner-pickup-dates"}
OPERATIONS = {
    # Accounts and notifications
    "signUp": (None, {}),
    "me": (member, {}), "myTokens": (member, {}), "myMemberships": (member, {}),
    "myNotifications": (member, {}), "markNotificationsRead": (member, {}),
    "myNotificationPreferences": (member, {}), "setNotificationPreferences": (member, {}),
    "revokeToken": (revoker, {"path.id": "tokens-to-revoke"}),
    # Cooperatives and memberships
    "listCooperatives": (member, {}), "getCooperative": (member, {"path.slug": "slug-any"}),
    "createCooperative": (board, {}),
    "listMemberships": (staff, SLUG_FUZZ),
    "askToJoin": (outsider, {**SLUG_FUZZ, "body.college": "colleges"}),
    "approveMembership": (registrar, {"path.slug": "slug-approve", "path.id": "requests-to-approve"}),
    "leaveCooperative": (registrar, {"path.slug": "slug-approve", "path.id": "members-to-leave", "body.reason": "departure-reasons"}),
    "declineMembership": (registrar, {"path.slug": "slug-decline", "path.id": "requests-to-decline"}),
    "changeRole": (registrar, {"path.slug": "slug-decline", "path.id": "members-to-change"}),
    "listInvitations": (board, SLUG_FUZZ),
    "invite": (board, {**SLUG_FUZZ, "body.college": "colleges", "body.email": "invite-emails"}),
    "withdrawInvitation": (board, {**SLUG_FUZZ, "path.id": "invitations-to-withdraw"}),
    "directory": (member, {}), "directoryProfile": (member, {"path.slug": "slug-any"}),
    # Governance
    "listProposals": (member, SLUG_FUZZ), "decisionLog": (member, SLUG_FUZZ),
    "getProposal": (member, {**SLUG_FUZZ, "path.id": "proposals"}),
    "createProposal": (board, {**SLUG_FUZZ, "body.closesAt": "vote-closes", "body.opensAt": "vote-opens", "body.quorum": "quorums"}),
    "editProposal": (board, {**SLUG_FUZZ, "path.id": "proposals-to-edit", "body.quorum": "quorums"}),
    "cancelProposal": (board, {**SLUG_FUZZ, "path.id": "proposals-to-cancel"}),
    "castBallot": (member, {**SLUG_FUZZ, "path.id": "proposals", "body.ballot": "ballots"}),
    "listAssemblies": (member, SLUG_FUZZ),
    "getAssembly": (member, {**SLUG_FUZZ, "path.id": "assemblies"}),
    "conveneAssembly": (board, {**SLUG_FUZZ, "body.startsAt": "assembly-starts", "body.agenda[*]": "proposals"}),
    "recordAttendance": (member, {**SLUG_FUZZ, "path.id": "assemblies", "body.member": "attendee",
                                  "body.proxyHolder": "proxy-holders"}),
    # Ledger
    "listAccounts": (member, SLUG_FUZZ),
    "accountStatement": (member, {**SLUG_FUZZ, "path.account": "member-accounts", "query.from": "statement-from",
                                  "query.to": "statement-to"}),
    "createTransfer": (board, {**SLUG_FUZZ, "body.debit": "debit-accounts", "body.credit": "credit-accounts"}),
    "getTransfer": (member, {**SLUG_FUZZ, "path.id": "member-transfers"}),
    "postPendingTransfer": (member, {**SLUG_FUZZ, "path.id": "transfers-to-post"}),
    "voidPendingTransfer": (staff, {**SLUG_FUZZ, "path.id": "transfers-to-void"}),
    "reverseTransfer": (board, {**SLUG_FUZZ, "path.id": "transfers-to-reverse"}),
    "listFees": (member, {"path.slug": "slug-money"}),
    "setFee": (board, SLUG_FUZZ),
    "feeSplit": (member, {"path.slug": "slug-money"}),
    "transparency": (member, {"path.slug": "slug-money"}),
    "listBarterInvoices": (member, SLUG_FUZZ),
    "issueBarterInvoice": (member, {**SLUG_FUZZ, "body.buyer": "invoice-buyers"}),
    "acceptBarterInvoice": (member, {**SLUG_FUZZ, "path.id": "invoices-to-accept"}),
    "declineBarterInvoice": (staff, {**SLUG_FUZZ, "path.id": "invoices-to-decline"}),
    "cancelBarterInvoice": (member, {**SLUG_FUZZ, "path.id": "invoices-to-cancel"}),
    # Food
    "listFoodCycles": (emma, SLUG_FOOD),
    "cycleShopfront": (emma, {**SLUG_FOOD, "path.cycle": "cycles", "query.producer": "producers", "query.category": "categories"}),
    "checkout": (emma, {**SLUG_FOOD, "path.cycle": "open-cycles", "body.lines[*].variantId": "variants",
                        "body.pickupPointId": "pickup-points", "body.slotId": "slots"}),
    "myFoodOrders": (emma, SLUG_FOOD),
    "foodOrder": (emma, {**SLUG_FOOD, "path.order": "orders-to-read"}),
    "confirmFoodOrder": (emma, {**SLUG_FOOD, "path.order": "orders-to-confirm"}),
    "cancelFoodOrder": (farid, {**SLUG_FOOD, "path.order": "orders-to-cancel"}),
    "producerCatalogDFC": (emma, {**SLUG_FOOD, "path.producer": "producers"}),
    "importCatalogDFC": (alice, {**SLUG_FOOD, "path.producer": "producers"}),
    "importProductsCSV": (alice, {**SLUG_FOOD, "path.producer": "producers"}),
    "placeDFCOrder": (hub, SLUG_FOOD),
    "dfcOrder": (hub, {**SLUG_FOOD, "path.order": "dfc-orders-to-read"}),
    "replaceDFCOrder": (hub, {**SLUG_FOOD, "path.order": "dfc-orders-to-change"}),
    "amendDFCOrder": (hub, {**SLUG_FOOD, "path.order": "dfc-orders-to-change"}),
    "cancelDFCOrder": (hub, {**SLUG_FOOD, "path.order": "dfc-orders-to-cancel"}),
    # Lending
    "searchLendingItems": (member, SLUG_FUZZ),
    "getLendingItem": (member, {**SLUG_FUZZ, "path.id": "items"}),
    "createLendingItem": (member, SLUG_FUZZ),
    "requestLoan": (neighbour, {**SLUG_FUZZ, "path.id": "items-to-borrow", "body.firstDay": "loan-first-days",
                                "body.lastDay": "loan-last-days"}),
    "listLoans": (member, SLUG_FUZZ),
    "getLoan": (member, {**SLUG_FUZZ, "path.id": "member-loans"}),
    "acceptLoan": (member, {**SLUG_FUZZ, "path.id": "loans-to-accept"}),
    "declineLoan": (neighbour, {**SLUG_FUZZ, "path.id": "loans-to-decline"}),
    "cancelLoan": (borrower, {**SLUG_FUZZ, "path.id": "loans-to-cancel"}),
    "confirmHandover": (member, {**SLUG_FUZZ, "path.id": "loans-to-hand-over"}),
    "confirmReturn": (member, {**SLUG_FUZZ, "path.id": "loans-to-return"}),
    "reviewLoan": (member, {**SLUG_FUZZ, "path.id": "loans-to-review"}),
    "postLoanMessage": (member, {**SLUG_FUZZ, "path.id": "member-loans"}),
    "getThread": (member, {**SLUG_FUZZ, "path.kind": "thread-kinds", "path.subject": "offers"}),
    "postThreadMessage": (member, {**SLUG_FUZZ, "path.kind": "thread-kinds", "path.subject": "offers"}),
    # Exchange
    "offersWantsFeed": (member, SLUG_FUZZ),
    "publishOfferWant": (member, {**SLUG_FUZZ, "body.expires_on": "offer-expiries"}),
    "recordService": (member, {**SLUG_FUZZ, "body.counterpart": "counterparts", "body.offerWant": "offers",
                               "body.doneOn": "service-days"}),
    "cooperativeImpact": (member, {"path.slug": "slug-any"}),
    "territoryImpact": (member, {}),
    # Carpool
    "carpoolRelayPoints": (member, SLUG_FUZZ), "carpoolSettings": (member, SLUG_FUZZ),
    "carpoolSearch": (neighbour, {**SLUG_FUZZ, "query.fromCommune": "carpool-communes", "query.toCommune": "carpool-communes",
                                  "query.date": "carpool-days"}),
    "publishCarpoolAd": (neighbour, {**SLUG_FUZZ, "body.role": "ad-roles", "body.frequency": "punctual", "body.date": "carpool-days",
                                     "body.time": "ad-times", "body.from.commune": "carpool-communes", "body.to.commune": "carpool-communes",
                                     "body.from.relayPoint": "relay-points", "body.to.relayPoint": "relay-points"}),
    "carpoolAd": (neighbour, {**SLUG_FUZZ, "path.id": "carpool-ads"}),
    "withdrawCarpoolAd": (member, {**SLUG_FUZZ, "path.id": "carpool-ads-to-withdraw"}),
    "askCarpoolSeat": (staff, {**SLUG_FUZZ, "path.id": "carpool-ads", "body.date": "carpool-days"}),
    "myCarpoolAsks": (neighbour, SLUG_FUZZ),
    "carpoolAsk": (neighbour, {**SLUG_FUZZ, "path.id": "carpool-asks-to-answer"}),
    "actOnCarpoolAsk": (member, {**SLUG_FUZZ, "path.id": "carpool-asks-to-answer", "path.action": "carpool-actions"}),
    "payCarpoolContribution": (neighbour, {**SLUG_FUZZ, "path.id": "carpool-asks-to-pay"}),
    "carpoolCommunities": (member, SLUG_FUZZ),
    "createCarpoolCommunity": (staff, SLUG_FUZZ),
    "closeCarpoolCommunity": (staff, {**SLUG_FUZZ, "path.id": "carpool-communities-to-close"}),
    "joinCarpoolCommunity": (neighbour, {**SLUG_FUZZ, "path.id": "carpool-communities"}),
    "myCarpoolAlerts": (neighbour, SLUG_FUZZ),
    "createCarpoolAlert": (neighbour, {**SLUG_FUZZ, "body.lookingFor": "alert-roles", "body.origin.commune": "carpool-communes",
                                       "body.destination.commune": "carpool-communes", "body.origin.relayPoint": "relay-points",
                                       "body.destination.relayPoint": "relay-points"}),
    "deleteCarpoolAlert": (neighbour, {**SLUG_FUZZ, "path.id": "carpool-alerts"}),
    "carpoolRdexJourneys": (None, {**SLUG_FUZZ}),
    # The standard covoiturage operator API: a partner operator's key, real journeys and bookings.
    "standardStatus": (None, {**SLUG_FUZZ}),
    "standardDriverJourneys": (None, {**PARTNER, **JOURNEY_QUERY}),
    "standardPassengerJourneys": (None, {**PARTNER, **JOURNEY_QUERY}),
    "standardDriverRegularTrips": (None, {**PARTNER, **TRIP_QUERY}),
    "standardPassengerRegularTrips": (None, {**PARTNER, **TRIP_QUERY}),
    "standardBook": (None, {**PARTNER, "body.driverJourneyId": "partner-journeys", "body.status": "waiting",
                            "body.passengerPickupDate": "partner-pickup-dates", "body.passengerPickupLat": "lat-saint-nazaire",
                            "body.passengerPickupLng": "lng-saint-nazaire", "body.passengerDropLat": "lat-nantes",
                            "body.passengerDropLng": "lng-nantes"}),
    "standardBooking": (None, {**PARTNER, "path.bookingId": "partner-bookings"}),
    "standardMoveBooking": (None, {**PARTNER, "path.bookingId": "partner-bookings-to-move", "query.status": "booking-moves"}),
    "standardBookingEvent": (None, {**PARTNER, "body.data.id": "partner-bookings-for-events"}),
    "standardMessage": (None, {**PARTNER, "body.bookingId": "partner-bookings"}),
    # The delivery store API: a store's token, its own deliveries (cancelling uses up its own).
    "previewStoreDelivery": (None, STORE), "createStoreDelivery": (None, STORE), "listStoreDeliveries": (None, STORE),
    "getStoreDelivery": (None, {**STORE, "path.id": "store-deliveries"}),
    "cancelStoreDelivery": (None, {**STORE, "path.id": "store-deliveries-to-cancel"}),
}


documented = {operation["operationId"] for item in requests.get(f"{BASE}/api/openapi.json", timeout=TIMEOUT).json()["paths"].values()
              for method, operation in item.items() if isinstance(operation, dict) and "operationId" in operation}
for operation_id in sorted(documented - set(OPERATIONS)):
    say(f"warning: {operation_id} has no caller here: it runs with a plain member's token and random identifiers")
for operation_id in sorted(set(OPERATIONS) - documented):
    say(f"warning: {operation_id} is configured here but not in the OpenAPI document")


def toml(value):
    return json.dumps(value, ensure_ascii=True)


lines = ["# made by scripts/fuzz-api (fuzz_setup.py) for one run", ""]
for name, values in dictionaries.items():
    if not values:
        fail(f"dictionary {name} is empty")
    lines += [f"[dictionaries.{toml(name)}]", f"values = {toml(values)}", ""]
for operation_id, (caller, bindings) in OPERATIONS.items():
    if caller is None and not bindings:
        continue
    lines += ["[[operations]]", f"include-operation-id = {toml(operation_id)}"]
    if caller is not None:
        lines.append(f"headers = {{ Authorization = {toml('Bearer ' + caller.token)} }}")
    if bindings:
        entries = ", ".join(f"{toml(key)} = {{ dictionary = {toml(dictionary)}, probability = {REAL} }}"
                            for key, dictionary in bindings.items())
        lines.append(f"parameters = {{ {entries} }}")
    lines.append("")
with open(os.path.join(OUT, "schemathesis.toml"), "w") as f:
    f.write("\n".join(lines))
with open(os.path.join(OUT, "fixtures.json"), "w") as f:
    json.dump({"default_token": member.token, "dfc_bodies": dfc_bodies}, f)
say(f"{len(OPERATIONS)} operations configured, {sum(len(v) for v in dictionaries.values())} real values in {len(dictionaries)} dictionaries")
