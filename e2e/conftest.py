"""Fixtures for the browser walk: the real server binary, headless Chromium, axe.

The server is the built `maillage` binary (env MAILLAGE_BIN; by default the debug build of this
repository, `<repository>/.build/debug/maillage`), started on a free
loopback port (or E2E_PORT when set) with a fresh SQLite file in a temporary directory
and `--demo`. Several people can run walks at once: each run gets its own port and file.
Its mail goes to a real SMTP server (scripts/smtp-test-server, aiosmtpd), which the walks read
as a person reads their mailbox (`mailbox.link(to, subject)`).
"""

import re
import sys
from email import policy
from email.parser import BytesParser

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import types
import urllib.request
from pathlib import Path

import pytest
from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE / "artifacts"
# the debug build of the repository this folder belongs to (`swift build`)
DEFAULT_BIN = str(HERE.parent / ".build" / "debug" / "maillage")
SERIOUS = {"serious", "critical"}


# --------------------------------------------------------------------------- server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """What the SMTP server received, one .eml file per message."""

    def __init__(self, directory):
        self.directory = directory

    def messages(self, to):
        out = []
        for path in sorted(self.directory.glob("*.eml"), key=lambda p: int(p.stem)):
            with open(path, "rb") as f:
                message = BytesParser(policy=policy.default).parse(f)
            if any(a.addr_spec == to for a in message["To"].addresses):
                out.append(message)
        return out

    def link(self, to, subject, timeout=20):
        """The link of the newest mail to `to` whose subject starts with `subject`, as a path."""
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in self.messages(to) if str(m["Subject"]).startswith(subject)]
            if found:
                text = found[-1].get_body(preferencelist=("plain",)).get_content()
                m = re.search(r"https?://[^/\s]+(/\S+)", text)
                assert m, f"no link in the mail {found[-1]['Subject']!r}: {text}"
                return m.group(1)
            if time.monotonic() > deadline:
                raise AssertionError(f"no mail to {to} with a subject starting {subject!r} within {timeout} s")
            time.sleep(0.3)

    def message(self, to, subject, timeout=20):
        """The newest mail to `to` whose subject starts with `subject`, headers and all."""
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in self.messages(to) if str(m["Subject"]).startswith(subject)]
            if found:
                return found[-1]
            if time.monotonic() > deadline:
                raise AssertionError(f"no mail to {to} with a subject starting {subject!r} within {timeout} s")
            time.sleep(0.3)


@pytest.fixture(scope="session")
def smtp():
    directory = Path(tempfile.mkdtemp(prefix="maillage-e2e-mail-"))
    proc = subprocess.Popen([sys.executable, str(HERE.parent / "scripts" / "smtp-test-server"), str(directory), "--stop-on-eof"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    port = proc.stdout.readline().strip()
    if not port.isdigit():
        pytest.fail(f"the SMTP test server did not start (pip install aiosmtpd): {port!r}")
    yield int(port), Mailbox(directory)
    proc.stdin.close()
    proc.wait(10)
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def mailbox(smtp):
    return smtp[1]


# A second instance a walk may start as a partner operator (`partner_server`): its port is chosen
# at the start, so the main server may reach it through the safe fetcher (SAFE_FETCH_ALLOW names
# exactly that address and port; nothing else on this machine).
PARTNER_PORT = int(os.environ.get("E2E_PARTNER_PORT") or _free_port())


def _start_server(smtp, port, name):
    """`maillage serve --demo` on `port` with a fresh SQLite file; returns (process, base, workdir, log path, log file)."""
    binary = os.environ.get("MAILLAGE_BIN", DEFAULT_BIN)
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        pytest.fail(f"server binary not found or not executable: {binary} (set MAILLAGE_BIN)")
    workdir = Path(tempfile.mkdtemp(prefix=f"maillage-{name}-"))
    env = dict(os.environ)
    env.update(DATABASE_URL=str(workdir / f"{name}.sqlite"), HOST="127.0.0.1", PORT=str(port),
               LOG_FORMAT="text")
    # the scheduler looks for due jobs every second (default 5 s): a vote whose closing time
    # has passed is counted at the next 30-second slot, not up to 5 s later
    env.setdefault("JOB_TICK_SECONDS", "1")
    # the governance walk watches a 40-second vote close by itself: below the two-day floor of a
    # real vote, which the HTTP tests check (VOTE_MINIMUM_HOURS is the instance's knob for this)
    env.setdefault("VOTE_MINIMUM_HOURS", "0")
    # the notifications walk reads a digest: one every 5 seconds instead of one a day at 7:00
    env.setdefault("DIGEST_PERIOD_SECONDS", "5")
    # the partner operator's instance, when a walk starts one, is on this machine
    env.setdefault("SAFE_FETCH_ALLOW", f"127.0.0.1:{PARTNER_PORT}")
    # mail goes to the SMTP server above, and leaves within a fraction of a second
    env.update(SMTP_URL=f"smtp://127.0.0.1:{smtp[0]}", MAIL_FROM="Maillage <no-reply@e2e.example.org>", OUTBOX_TICK_SECONDS="0.2")
    log_path = workdir / "server.log"
    log = open(log_path, "wb")
    proc = subprocess.Popen([binary, "serve", "--demo"], cwd=workdir, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            log.close()
            pytest.fail(f"server exited with {proc.returncode}:\n{log_path.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"server not healthy after 60 s:\n{log_path.read_text(errors='replace')[-3000:]}")
        time.sleep(0.2)
    return proc, base, workdir, log_path, log


def _stop_server(proc, workdir, log_path, log, artifact):
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()
    server_log = log_path.read_text(errors="replace")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / artifact).write_text(server_log)
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def server(smtp):
    port = int(os.environ.get("E2E_PORT") or _free_port())
    proc, base, workdir, log_path, log = _start_server(smtp, port, "e2e")
    yield base
    _stop_server(proc, workdir, log_path, log, "server.log")


@pytest.fixture(scope="module")
def partner_server(smtp, server):
    """A second instance, its own port and SQLite file and the same demo territory: a partner
    operator the main server (started first) is allowed to query. Gives its address and its
    database (for the command line, as its operators would use it)."""
    proc, base, workdir, log_path, log = _start_server(smtp, PARTNER_PORT, "e2e-partner")
    yield types.SimpleNamespace(base=base, database=str(workdir / "e2e-partner.sqlite"))
    _stop_server(proc, workdir, log_path, log, "partner-server.log")


# --------------------------------------------------------------------------- browser


def leave_anonymous(driver, server):
    """Ends a walk so the next one starts anonymous: logged out, on a page drawn without a
    session (a page drawn before would still show the logout button), with empty browser logs."""
    try:
        driver.get(server + "/")
        driver.delete_all_cookies()
        driver.get(server + "/")
        driver.get_log("browser")
        driver.get_log("performance")
    except Exception as e:
        print(f"could not reset the browser: {e}")


def _chromium_binary():
    for name in (os.environ.get("CHROMIUM_BIN"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    pytest.fail("chromium not found (apt-get install -y chromium chromium-driver)")


@pytest.fixture(scope="session")
def driver():
    opts = webdriver.ChromeOptions()
    opts.binary_location = _chromium_binary()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1000", "--lang=fr-FR", "--disable-extensions",
                "--no-first-run", "--disable-background-networking"):
        opts.add_argument(arg)
    opts.add_experimental_option("prefs", {"intl.accept_languages": "fr-FR,fr"})
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver_path = os.environ.get("CHROMEDRIVER_BIN") or shutil.which("chromedriver")
    if not driver_path:
        pytest.fail("chromedriver not found (apt-get install -y chromium-driver)")
    d = webdriver.Chrome(service=Service(executable_path=driver_path), options=opts)
    d.set_page_load_timeout(20)
    d.set_script_timeout(30)
    d.implicitly_wait(0)
    yield d
    d.quit()


# --------------------------------------------------------------------------- axe


class A11y:
    """Runs axe on a page; serious/critical violations are kept and reported by `assert_clean`."""

    def __init__(self, driver):
        self.driver = driver
        script = os.environ.get("AXE_SCRIPT")  # optional newer axe.min.js
        self.axe = Axe(driver, script) if script else Axe(driver)
        self.found = []  # (label, url, violation)
        self.pages = []

    def check(self, label):
        self.axe.inject()
        version = self.driver.execute_script("return window.axe && axe.version")
        if not version or int(str(version).split(".")[0]) < 4:
            pytest.fail(f"axe-core {version} is too old: axe-selenium-python 2.x bundles axe-core 3.1 "
                        "(2018), whose autocomplete-valid and label rules give false positives. Use "
                        "Python >= 3.12 with axe-selenium-python >= 3.0 (axe-core 4.10), or point "
                        "AXE_SCRIPT at a current axe.min.js.", pytrace=False)
        results = self.axe.run()
        self.pages.append((label, self.driver.current_url, version))
        bad = [v for v in results["violations"] if v.get("impact") in SERIOUS]
        if bad:
            _save_page(self.driver, f"axe-{_slug(label)}")
        for v in bad:
            self.found.append((label, self.driver.current_url, v))
        return bad

    @staticmethod
    def format(found):
        lines = []
        for label, url, v in found:
            lines.append(f"[{v['impact']}] {v['id']} on {label} ({url}): {v['help']}")
            lines.append(f"    {v.get('helpUrl', '')}")
            for node in v["nodes"][:8]:
                lines.append(f"    - {', '.join(map(str, node['target']))}")
                html = node.get("html", "").strip().replace("\n", " ")
                lines.append(f"      html: {html[:200]}")
                summary = (node.get("failureSummary") or "").strip().replace("\n", " | ")
                if summary:
                    lines.append(f"      why:  {summary[:400]}")
            if len(v["nodes"]) > 8:
                lines.append(f"    … and {len(v['nodes']) - 8} more nodes")
        return "\n".join(lines)


@pytest.fixture(scope="session")
def a11y(driver):
    return A11y(driver)


# --------------------------------------------------------------------------- failure artifacts


def _slug(text):
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in text)[:100]


def _save_page(driver, name):
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))
        (ARTIFACTS / f"{name}.html").write_text(driver.page_source)
    except Exception as e:  # the browser may be gone; never mask the real failure
        print(f"could not save artifacts for {name}: {e}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed and report.when in ("setup", "call"):
        d = item.funcargs.get("driver")
        if d is not None:
            _save_page(d, _slug(item.name))
            report.sections.append(("page at failure",
                                    f"{d.current_url}\nscreenshot: {ARTIFACTS / _slug(item.name)}.png"))


def pytest_sessionstart(session):
    # artifacts describe the last run only
    if ARTIFACTS.exists():
        for p in ARTIFACTS.iterdir():
            if p.is_file():
                p.unlink()
