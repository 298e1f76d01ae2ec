"""A member chooses to send her rides to the state's carpool proof registry, then stops.

Alice (member of Roulons Ensemble Estuaire) opens « Preuves de covoiturage »: the page says what is
sent, to whom and why, and that both people of a ride must agree. She sends the form with a
mistyped number and the box unticked: it comes back in French with what she typed kept. She then
gives her number and her last name and ticks the box; the page shows the date of her consent and
the version of the text. She stops: the confirmation page says her number and name are erased,
and they are no longer on the page.

Same rules as the kernel walk (whose `Walk` it reuses): every page goes through axe, its HTTP
status and the console are checked.
"""

import pytest
from selenium.webdriver.common.by import By

from test_carpool_walk import BASE, CarpoolWalk


@pytest.fixture(scope="module")
def walk(driver, server, a11y):
    return CarpoolWalk(driver, server, a11y)




def as_alice(walk):
    if walk.who == "alice" and walk.logged_in():
        return
    walk.who = None
    if not walk.d.current_url.startswith(walk.base):
        walk.open("/", "directory")
    walk.log_in("alice@demo.maillage.coop", "maillage-demo", "alice's account")
    assert walk.logged_in(), "alice could not log in"
    walk.who = "alice"


def test_01_the_page_says_what_is_sent_to_whom_and_why(walk):
    as_alice(walk)
    walk.open(f"{BASE}/proofs", "carpool proofs")
    body = walk.body()
    assert "Registre de preuve de covoiturage" in body
    assert "Ni votre nom ni votre numéro complet ne sont envoyés" in body
    assert "si les deux personnes l’ont accepté" in body
    assert "pas encore reliée au registre" in body, "the demo instance names no registry: nothing is sent"
    walk.finish_step()


def test_02_a_mistake_comes_back_with_what_was_typed(walk):
    walk.fill("#phone", "06 12 34")
    walk.fill("#last_name", "Martin-Le Goff")
    walk.submit_form_of("#phone", "consent refused", expect=422)
    body = walk.body()
    assert "Indiquez un numéro de téléphone" in body and "Cochez la case pour donner votre accord." in body
    assert walk.el("#last_name").get_attribute("value") == "Martin-Le Goff"
    walk.finish_step()


def test_03_consent_is_recorded_with_its_date_and_version(walk):
    walk.fill("#phone", "06 12 34 56 78")
    walk.el("#consent-box").click()
    walk.submit_form_of("#phone", "consent given")
    assert walk.last_notice and walk.last_notice.startswith("Votre accord est enregistré"), walk.last_notice
    assert "Vous avez donné votre accord le" in walk.body() and "texte version 1" in walk.body()
    assert walk.el("#phone").get_attribute("value") == "+33612345678", "the number as the registry reads it"
    walk.finish_step()


def test_04_stopping_erases_the_number_and_the_name(walk):
    walk.click_link(walk.d.find_element(By.CSS_SELECTOR, f"a[href='{BASE}/proofs/opt-out']"), "stop sending?")
    assert "Votre numéro de téléphone et votre nom de famille sont effacés." in walk.body()
    walk.submit_form_of("input[name='confirmed']", "stopped")
    assert walk.last_notice and walk.last_notice.startswith("C’est arrêté"), walk.last_notice
    assert "+33612345678" not in walk.body() and "Martin-Le Goff" not in walk.body()
    assert "Donner mon accord" in walk.body()
    walk.finish_step()
