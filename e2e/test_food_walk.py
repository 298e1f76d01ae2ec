"""Local food as people use it, in a real browser against the real server.

Farid (a member of Les Paniers de la Sèvre) opens the week's cycle, searches the shopfront,
puts two kilos of apples and a loaf in his basket, sees where his money goes, holds the basket,
confirms it and finds it in his orders. David (staff) opens a new cycle through the form (a
mistake first, kept with what he typed), then prints the pickup list of the week's cycle, where
Farid's order is, and downloads it as CSV. Bruno (not a member) can see the shopfront but not
the coordination pages.

Same rules as the other walks (their `Walk`): every page reached goes through axe, its HTTP
status and the browser console are checked; serious/critical axe findings fail the step.
"""

import csv
import io
import re
import urllib.request
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from selenium.webdriver.common.by import By

from conftest import leave_anonymous
from test_kernel_walk import Walk

PASSWORD = "maillage-demo"
COOP = "paniers-de-la-sevre"
PARIS = ZoneInfo("Europe/Paris")
state = {}


@pytest.fixture(scope="module")
def walk(driver, server, a11y):
    w = Walk(driver, server, a11y)
    yield w
    leave_anonymous(driver, server)


@pytest.fixture(autouse=True)
def _fresh_step(walk):
    walk.problems = []
    walk.axe_mark = len(walk.a11y.found)
    yield


def log_in(walk, who):
    walk.open("/", "directory")
    walk.log_in(f"{who}@demo.maillage.coop", PASSWORD, f"login as {who}")


def card(walk, name):
    cards = [c for c in walk.els("ul.products li.card") if c.find_element(By.CSS_SELECTOR, "h2").text.strip() == name]
    assert cards, f"no product card {name!r} on {walk.path()}"
    return cards[0]


def add(walk, name, quantity):
    form = card(walk, name).find_element(By.CSS_SELECTOR, "ul.variants form")
    field = form.find_element(By.CSS_SELECTOR, "input[type=number]")
    field.clear()
    field.send_keys(str(quantity))
    walk.submit(form.find_element(By.CSS_SELECTOR, "button[type=submit]"), f"add {name}")


def test_01_a_member_shops_and_confirms(walk):
    log_in(walk, "farid")
    walk.open(f"/c/{COOP}/food", "food home")
    assert walk.text("h1") == "Produits locaux en circuit court"
    walk.click_link(walk.el("ul.cards a.button"), "shopfront")
    assert "Ouvert" in walk.text("h1")
    state["cycle_path"] = walk.path().split("?")[0]
    walk.fill("#q", "pommes")
    walk.submit_form_of("#q", "search pommes")
    names = [h.text for h in walk.els("ul.products h2")]
    assert names and all("pomme" in n.lower() for n in names), names
    add(walk, "Pommes Jonagold", 2)
    assert walk.path().startswith(state["cycle_path"]), walk.path()
    walk.fill("#q", "pain de campagne")
    walk.submit_form_of("#q", "search pain")
    add(walk, "Pain de campagne", 1)
    basket = [a for a in walk.els("a.button") if a.text.startswith("Mon panier")]
    assert basket and "(3)" in basket[0].text, [a.text for a in basket]
    walk.click_link(basket[0], "basket")
    assert walk.text("h1") == "Mon panier"
    split = walk.el("section.money-split")
    assert split.find_elements(By.CSS_SELECTOR, "svg"), "the split is drawn"
    assert "Coopérative" in split.text and "Le Verger de la Sèvre" in split.text, split.text
    # French figures in the basket: decimal commas in prices and shares
    assert re.search(r"\d,\d\d\s*€", walk.text("main")), walk.text("main")
    assert not re.search(r"\d\.\d+\s*(€|%)", walk.text("main")), walk.text("main")
    radios = walk.els("input[name=fulfilment]")
    assert len(radios) >= 3, "two pickup points and home delivery"
    radios[1].click()
    walk.el("#pay-pickup").click()
    walk.submit_form_of("#pay-pickup", "hold the basket")
    assert walk.text("h1").startswith("Commande n°")
    assert "réservés jusqu’à" in walk.body()
    assert walk.els("section.money-split svg")
    confirm = [b for b in walk.els("form button[type=submit]") if b.text == "Confirmer la commande"]
    assert confirm
    walk.submit(confirm[0], "confirm the order")
    assert "Votre commande est confirmée" in (walk.last_notice or ""), walk.last_notice
    state["number"] = walk.text("h1").replace("Commande n°", "").strip()
    walk.click_link(walk.el(f"a[href='/c/{COOP}/food/orders']"), "my orders")
    assert state["number"] in walk.text("main table"), walk.text("main table")
    walk.finish_step()


def test_02_a_coordinator_opens_a_cycle_and_prints_the_pickup_list(walk):
    if "number" not in state:
        pytest.skip("the order of step 1 is missing")
    log_in(walk, "david")
    walk.open(f"/c/{COOP}/food/manage", "coordination")
    now = datetime.now(PARIS)
    walk.fill("#name", "Paniers de Noël")
    walk.set_value("#opens_at", (now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"))
    walk.set_value("#closes_at", (now + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"))
    walk.submit_form_of("#name", "new cycle with errors", expect=422)
    assert "La clôture doit" in walk.text("#form-errors") or "clôture" in walk.text("#form-errors"), walk.text("#form-errors")
    assert walk.el("#name").get_attribute("value") == "Paniers de Noël", "what was typed is kept"
    walk.set_value("#closes_at", (now + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"))
    walk.set_value("#slot_start", (now + timedelta(days=11)).strftime("%Y-%m-%dT%H:%M"))
    walk.set_value("#slot_end", (now + timedelta(days=11, hours=3)).strftime("%Y-%m-%dT%H:%M"))
    walk.submit_form_of("#name", "create the cycle")
    assert walk.text("h1").startswith("Paniers de Noël") and "À venir" in walk.text("h1"), walk.text("h1")
    assert len(walk.els("main table tbody tr")) >= 60, "every product of the chosen producers is offered"

    walk.open(f"/c/{COOP}/food/manage", "coordination again")
    week = [a for a in walk.els("main table a") if a.text == "Paniers de la semaine"]
    walk.click_link(week[0], "week's cycle")
    pickup = [a for a in walk.els("a.button") if a.text == "Liste de retrait"]
    walk.click_link(pickup[0], "pickup list")
    lists = walk.text("main")
    assert "Farid" in lists and state["number"] in lists, lists[:500]
    walk.d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not walk.el("header.site-header").is_displayed(), "the header is not printed"
        assert walk.el("table").is_displayed()
    finally:
        walk.d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    cookie = walk.d.get_cookie("maillage_session")["value"]
    request = urllib.request.Request(walk.base + walk.path().split("?")[0] + ".csv", headers={"Cookie": f"maillage_session={cookie}"})
    with urllib.request.urlopen(request) as response:
        assert "csv" in response.headers["Content-Type"]
        rows = list(csv.reader(io.StringIO(response.read().decode("utf-8-sig"))))
    assert any(state["number"] in row for row in rows), rows[:3]
    walk.finish_step()


def test_03_an_outsider_sees_the_shopfront_but_not_the_coordination(walk):
    if "cycle_path" not in state:
        pytest.skip("the cycle of step 1 is missing")
    log_in(walk, "bruno")
    walk.open(state["cycle_path"], "shopfront as an outsider")
    assert not walk.els("ul.variants form"), "no basket for a non-member"
    walk.open(f"/c/{COOP}/food/manage", "coordination as an outsider", expect=403)
    walk.finish_step()
