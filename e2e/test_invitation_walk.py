"""A board invites people by email, in a real browser against the real server.

Alice (board of Les Paniers de la Sèvre) opens the invitations page from the members page and
invites two addresses. The first invitee, anonymous, follows the link of the mail (read from the
SMTP server), creates an account from the invitation (the address pre-filled), confirms the
address from the second mail, lands back on the invitation, joins, and finds the cooperative
among her memberships: approved at once, since the board invited this address. Alice sees the
invitation accepted, withdraws the second one (asked first), and its link then says so (410).

Same rules as the kernel walk (whose `Walk` it reuses): every page reached goes through axe, its
HTTP status and the browser console are checked. The walk ends logged out with the cookies
cleared, so the next walk starts anonymous.
"""

import pytest
from selenium.webdriver.common.by import By

from conftest import leave_anonymous
from test_kernel_walk import Walk

PASSWORD = "maillage-demo"
COOP = "paniers-de-la-sevre"
COOP_NAME = "Les Paniers de la Sèvre"
ALICE = "alice@demo.maillage.coop"
INVITEE = {"email": "lou.invitee.e2e@example.org", "display_name": "Lou Invitée", "password": "un-mot-de-passe-solide-77"}
WITHDRAWN = "camille.retiree.e2e@example.org"
SUBJECT = f"Invitation à rejoindre {COOP_NAME}"


@pytest.fixture(scope="module")
def walk(driver, server, a11y):
    w = Walk(driver, server, a11y)
    leave_anonymous(driver, server)
    yield w
    leave_anonymous(driver, server)


@pytest.fixture(autouse=True)
def _fresh_step(walk):
    walk.problems = []
    walk.axe_mark = len(walk.a11y.found)
    yield


def invite(walk, email, shares, message=""):
    walk.fill("#email", email)
    walk.choose("#college", text="Mangeurs")
    walk.fill("#shares", shares)
    walk.fill("#message", message)
    walk.choose("#language", value="fr")
    walk.submit_form_of("#email", f"invitation to {email} sent")
    assert walk.last_notice and email in walk.last_notice, walk.last_notice


def test_01_the_board_invites_two_addresses(walk):
    walk.open("/", "directory")
    walk.log_in(ALICE, PASSWORD, "alice's account")
    walk.open(f"/c/{COOP}/manage", "members page")
    walk.click_link(walk.d.find_element(By.CSS_SELECTOR, f"main a[href='/c/{COOP}/invitations']"), "invitations page")
    assert walk.text("h1") == f"Inviter à rejoindre {COOP_NAME}"

    # a mistake first (an address the browser lets through, the server does not): kept with
    # what was typed, the message next to the field
    walk.fill("#email", "lou@sans-domaine")
    walk.choose("#college", text="Mangeurs")
    walk.fill("#shares", "2")
    walk.submit_form_of("#email", "invitation refused", expect=422)
    assert "n’est pas valide" in walk.text("#email-error")
    assert walk.el("#shares").get_attribute("value") == "2"

    invite(walk, INVITEE["email"], "2", "Au plaisir de vous compter parmi les mangeurs !")
    invite(walk, WITHDRAWN, "1")
    pending = walk.text("section[aria-labelledby='pending-invitations-title']")
    assert INVITEE["email"] in pending and WITHDRAWN in pending, pending
    assert "expire dans 14 jours" in pending, pending
    walk.log_out()
    walk.finish_step()


def test_02_the_invitee_signs_up_from_the_link_and_joins(walk, mailbox):
    leave_anonymous(walk.d, walk.base)
    link = mailbox.link(INVITEE["email"], SUBJECT)
    assert link.startswith("/invitations/"), link
    walk.open(link, "the invitation (anonymous)")
    assert COOP_NAME in walk.text("h1")
    body = walk.body()
    assert "Mangeurs" in body and "Parts sociales suggérées : 2" in body, body
    assert walk.el("#email").get_attribute("value") == INVITEE["email"], "the invited address is pre-filled"

    walk.fill("#display_name", INVITEE["display_name"])
    walk.fill("#password", INVITEE["password"])
    walk.submit_form_of("#password", "check your mail")
    assert walk.path().startswith("/signup/sent"), walk.path()

    # the confirmation mail leads back to the invitation
    walk.open(mailbox.link(INVITEE["email"], "Confirmez votre adresse"), "confirm the address")
    walk.submit_form_of("main form button", "back on the invitation")
    assert walk.path() == link, walk.path()
    assert walk.logged_in()
    assert "acceptée dès l’envoi" in walk.body()
    assert walk.el("#shares").get_attribute("value") == "2", "the suggested shares are pre-filled"

    walk.submit_form_of("#shares", "the cooperative after joining")
    assert walk.path() == f"/c/{COOP}", walk.path()
    assert "Bienvenue" in (walk.last_notice or ""), walk.last_notice
    walk.open("/account", "account with the new membership")
    memberships = walk.text("section[aria-labelledby='memberships-title']")
    assert COOP_NAME in memberships and "Sociétaire" in memberships, memberships

    # the link is used: it says so, it does not fail
    walk.open(link, "the invitation once used", expect=410)
    assert "déjà servi" in walk.body()
    walk.log_out()
    walk.finish_step()


def test_03_the_board_sees_it_accepted_and_withdraws_the_other(walk, mailbox):
    walk.log_in(ALICE, PASSWORD, "alice's account")
    walk.open(f"/c/{COOP}/invitations", "invitations page")
    recent = walk.text("section[aria-labelledby='recent-invitations-title']")
    assert INVITEE["email"] in recent and "Acceptée" in recent and INVITEE["display_name"] in recent, recent

    withdraw = walk.d.find_element(By.CSS_SELECTOR, f"a[aria-label='Retirer l’invitation envoyée à {WITHDRAWN}']")
    walk.click_link(withdraw, "withdraw: the question")
    assert "Avant de confirmer" in walk.body()
    walk.submit(walk.el("main form button.danger"), "invitations after withdrawing")
    assert "retirée" in (walk.last_notice or ""), walk.last_notice
    recent = walk.text("section[aria-labelledby='recent-invitations-title']")
    assert WITHDRAWN in recent and "Retirée" in recent, recent
    walk.log_out()

    leave_anonymous(walk.d, walk.base)
    walk.open(mailbox.link(WITHDRAWN, SUBJECT), "the withdrawn invitation", expect=410)
    assert "Le conseil a retiré cette invitation" in walk.body()
    walk.finish_step()
