"""Transparent money as members and the public see it, in a real browser against the real server.

Bruno (a business of the barter network Troc Pro Loire-Atlantique) invoices Quentin through the
form (an unreadable amount first, sent back with what he typed); Quentin logs in, finds the
invoice to settle, accepts it; his barter statement shows the trade and its CSV download has the
row. Then, anonymous, the public transparency page of the food cooperative (Les Paniers de la
Sèvre) shows its charts (SVG with a title) and tables, this year and last year, and the territory
page compares every cooperative.

Same rules as the other walks (whose `Walk` it reuses): the steps run in file order and share
one browser and one server; every page reached goes through axe, its HTTP status and the browser
console are checked; serious/critical axe findings fail the step after its own checks. The walk
starts and ends with the cookies cleared, in French.
"""

import csv
import io
import re
import pytest
from selenium.webdriver.common.by import By

# page checks, login from the header, fetch(); `_fresh_step` (autouse): each step's own problems and axe findings
from test_governance_walk import GovernanceWalk, _fresh_step  # noqa: F401

BARTER = "troc-pro-loire-atlantique"
FOOD = "paniers-de-la-sevre"
EMAIL = {who: f"{who}@demo.maillage.coop" for who in ("bruno", "quentin")}
INVOICE = {"buyer": "Quentin Moreau", "amount": "250", "description": "Livraison de 40 colis au salon de Saint-Herblain"}

state = {}  # what one step leaves for the next ones


class LedgerWalk(GovernanceWalk):
    emails = EMAIL

    def table_rows(self, css="main table"):
        """Every body row of the tables matching `css`, as lists of cell texts."""
        return [[c.text.strip() for c in row.find_elements(By.CSS_SELECTOR, "th, td")]
                for table in self.els(css) for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")]

    def charts(self):
        """The charts of the page: (accessible title, number of bars or slices drawn)."""
        out = []
        for svg in self.els("main svg[role=img]"):
            title = svg.find_element(By.CSS_SELECTOR, "title").get_attribute("textContent").strip()
            out.append((title, len(svg.find_elements(By.CSS_SELECTOR, "rect, path, circle"))))
        return out


def reset(driver, server):
    """Anonymous, in French (the default for this browser), on a page drawn without a session."""
    driver.get(server + "/")
    driver.delete_all_cookies()
    driver.get(server + "/")
    driver.get_log("browser")
    driver.get_log("performance")


@pytest.fixture(scope="module")
def walk(driver, server, a11y):
    reset(driver, server)
    w = LedgerWalk(driver, server, a11y)
    w.first_page = len(a11y.pages)  # the pages axe checked before this walk belong to other walks
    yield w
    try:
        reset(driver, server)
    except Exception as e:
        print(f"could not reset the browser: {e}")


def issued_invoice():
    """The invoice page of step 1; the steps after it skip themselves without it."""
    if "invoice" not in state:
        pytest.skip("step 1 issued no invoice")
    return state["invoice"]


# --------------------------------------------------------------------------- the barter trade


def test_01_seller_issues_an_invoice(walk):
    walk.as_person("bruno")
    walk.open(f"/c/{BARTER}/money", "Bruno's accounts")
    walk.click_link(walk.d.find_element(By.CSS_SELECTOR, f"a[href='/c/{BARTER}/barter']"), "barter network")
    assert walk.text("h1") == "Réseau de troc"
    # a mistake first: the form comes back with the message and what was typed
    walk.choose("#buyer", text=INVOICE["buyer"])
    walk.fill("#amount", "deux cent cinquante")
    walk.fill("#description", INVOICE["description"])
    walk.submit_form_of("#description", "invoice form with a mistake", expect=422)
    assert "Montant illisible" in walk.body()
    assert walk.el("#amount").get_attribute("value") == "deux cent cinquante"
    assert walk.el("#description").get_attribute("value") == INVOICE["description"]
    assert walk.el("#buyer option:checked").text.strip() == INVOICE["buyer"], "the client stays chosen"
    assert walk.el("#amount").get_attribute("aria-invalid") == "true"
    # corrected
    walk.fill("#amount", INVOICE["amount"])
    walk.submit_form_of("#description", "invoice issued")
    assert INVOICE["description"] in walk.text("h1")
    figures = walk.text("dl.figures")
    assert "Quentin Moreau" in figures and "À régler" in figures, figures
    assert "250,00" in figures
    assert walk.els("main svg[role=img]"), "the split between seller and network is drawn"
    state["invoice"] = walk.path()
    walk.finish_step()


def test_02_buyer_accepts_it(walk):
    invoice = issued_invoice()
    walk.as_person("quentin")
    walk.open(f"/c/{BARTER}/barter", "Quentin's barter page")
    to_settle = walk.d.find_element(By.XPATH, "//h2[normalize-space()='Factures à régler']/ancestor::section")
    link = to_settle.find_element(By.XPATH, f".//a[contains(., '{INVOICE['description']}')]")
    walk.click_link(link, "invoice to settle")
    assert walk.path() == invoice
    assert "Après paiement, votre solde sera de" in walk.body()
    walk.submit(walk.el("form[action$='/accept'] button[type=submit]"), "invoice accepted")
    assert "Réglée" in walk.text("dl.figures")
    assert not walk.els("form[action$='/accept']"), "nothing left to accept"
    walk.finish_step()


def test_03_buyers_statement_and_csv_show_the_trade(walk):
    issued_invoice()
    walk.as_person("quentin")
    walk.open(f"/c/{BARTER}/barter", "Quentin's barter page again")
    walk.click_link(walk.d.find_element(By.XPATH, "//a[normalize-space()='Relevé de mon compte de troc']"), "barter statement")
    assert walk.text("h1").startswith("Relevé")
    rows = [r for r in walk.table_rows() if INVOICE["description"] in r]
    assert len(rows) == 1, f"one line for the trade: {walk.table_rows()}"
    date, memo, counterparty, change, balance = rows[0]
    assert "Bruno Le Goff" in counterparty
    assert change.startswith("-") or change.startswith("−"), change
    assert "250,00" in change
    assert date, "the line is dated"
    # the CSV of the same statement
    href = walk.el("a[href*='statement.csv']").get_attribute("href")
    download = walk.fetch(href)
    assert download["status"] == 200, download
    assert download["type"].startswith("text/csv"), download["type"]
    table = list(csv.reader(io.StringIO(download["text"].lstrip("\ufeff"))))
    header, lines = table[0], table[1:]
    assert header[:4] == ["Date (Europe/Paris)", "Référence", "Libellé", "Contrepartie"], f"times in the instance's zone, named: {header}"
    trade = [line for line in lines if line[2] == INVOICE["description"]]
    assert len(trade) == 1, f"the CSV has the trade: {lines}"
    assert trade[0][4] == "250.00" and trade[0][5] == "", trade[0]
    walk.log_out()
    walk.who = None
    walk.finish_step()


# --------------------------------------------------------------------------- the public pages


def test_04_transparency_of_the_food_cooperative(walk):
    assert not walk.logged_in(), "the transparency page is public"
    walk.open(f"/c/{FOOD}/transparency", "food cooperative transparency (this year)")
    assert walk.text("h1").startswith("Où va l’argent")
    charts = walk.charts()
    assert any(title == "Recettes par activité" and bars > 0 for title, bars in charts), charts
    sections = [h.text.strip() for h in walk.els("main section h2")]
    for expected in ("Recettes par activité", "Résultat", "Réserves impartageables et capital au 31 décembre"):
        assert expected in sections, sections
    rows = walk.table_rows()
    assert any("Capital social" in r[0] for r in rows), rows
    # French figures: a decimal comma, never a point
    figures = [cell for r in rows for cell in r[1:] if "€" in cell]
    assert figures and all(re.search(r"\d,\d\d\s*€", f) for f in figures), figures
    assert not any(re.search(r"\d\.\d\d\s*€", f) for f in figures), figures
    # last year: revenue and the costs the board entered, each as a chart and a table
    last_year = str(int(walk.el("nav[aria-label='Années'] strong").text) - 1)
    walk.click_link(walk.d.find_element(By.XPATH, f"//nav[@aria-label='Années']//a[normalize-space()='{last_year}']"),
                    "food cooperative transparency (last year)")
    titles = [title for title, bars in walk.charts() if bars > 0]
    assert "Recettes par activité" in titles and "Charges" in titles, titles
    section = walk.d.find_element(By.XPATH, "//h2[normalize-space()='Charges saisies par le conseil']/ancestor::section")
    costs = sorted(th.text.strip() for th in section.find_elements(By.CSS_SELECTOR, "tbody th"))
    assert costs == ["Assurances et banque", "Locaux", "Prestations et logiciels"], costs
    assert all(r[-1] for r in walk.table_rows()), "every figure is filled in"
    download = walk.fetch(walk.el("a[href*='transparency.csv']").get_attribute("href"))
    assert download["status"] == 200 and download["type"].startswith("text/csv"), download
    walk.finish_step()


def test_05_transparency_of_the_territory(walk):
    walk.open("/transparency", "territory transparency")
    charts = walk.charts()
    assert charts and charts[0][1] > 0, charts
    names = [r[0] for r in walk.table_rows()]
    assert "Les Paniers de la Sèvre" in names and "Troc Pro Loire-Atlantique" in names, names
    walk.finish_step()


def test_06_every_page_went_through_axe(walk):
    mine = [label for label, _, _ in walk.a11y.pages[walk.first_page:]]
    print(f"axe ran on {len(mine)} pages of the ledger walk: {', '.join(mine)}")
    assert len(mine) >= 12
