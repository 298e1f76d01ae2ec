"""Nothing leaves the instance: a crawl of every demo page, in a real browser.

Maillage promises (see /about/privacy) that it "loads nothing from another site: no font, no
analytics, no tracker" and that "the only cookie is the session cookie (maillage_session)". This
file checks the promise on every page a person can reach by following same-origin links
(<a href>), first as an anonymous visitor, then logged in as alice (board member of Les Paniers
de la Sèvre, so the member and board pages are reached too):

- every network request the page makes (document, redirects, stylesheet, favicon, images,
  fonts, XHR…), as Chromium reports it through the DevTools `Network.requestWillBeSent` events
  of the performance log, goes to the server's own origin (data:/blob: URLs stay in the page);
- the resources and form targets the DOM declares are same-origin too (a headless browser may
  not fetch every one of them, e.g. the favicon);
- no cookie but `maillage_session` exists, neither for scripts (document.cookie) nor for the
  browser (CDP), on any domain; the session cookie is HttpOnly and SameSite=Lax;
- each page answered 200 in the browser, and again with `requests` (with the browser's session
  cookie), every answer of the chain carrying a Content-Security-Policy "default-src 'self'…".

Each distinct path is visited once per identity (query strings are ignored for that: the
directory filters or a `?next=` do not make a new page), at most MAX_PAGES pages in all.
Downloads (.csv, .json, exports, ballot files…), logout-like links and the API are skipped;
the language switch (/lang/…) is visited once per identity, last, so the crawl reads the pages
in the browser's language. Runs after the walks (file order) on the same browser and server;
it starts and ends with the browser's cookies cleared.
"""

import json
import time
from collections import deque
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import leave_anonymous

PASSWORD = "maillage-demo"
ALICE = "alice@demo.maillage.coop"
COOP = "paniers-de-la-sevre"
SESSION_COOKIE = "maillage_session"
MAX_PAGES = 220          # both identities together (each activity of the demo adds its pages)
DEADLINE_SECONDS = 120   # stop crawling (and say so) rather than run for ever
DOWNLOAD_SUFFIXES = (".csv", ".json", ".tar", ".gz", ".tgz", ".zip", ".pdf", ".ics", ".xml",
                     ".txt", ".xlsx", ".ods", ".odt", ".sqlite")
SKIPPED_SEGMENTS = {"logout", "log-out", "signout", "sign-out", "deconnexion", "export", "download"}
SKIPPED_PREFIXES = ("/api/v1/", "/assets/", "/healthz", "/metrics")
INLINE_SCHEMES = ("data:", "blob:", "about:")

state = {"pages": 0, "requests": 0, "started": None, "per_identity": {}}


# --------------------------------------------------------------------------- the crawler


class Crawl:
    """One identity's crawl: visits pages, collects what leaves the origin and other problems."""

    def __init__(self, driver, base, identity):
        self.d = driver
        self.base = base
        self.origin = _origin(base)
        self.identity = identity
        self.problems = []          # "page → what" lines
        self.visited = []           # paths (with query) in visit order
        self.requests_checked = 0
        self.skipped = set()        # same-origin links deliberately not followed
        self._seen_request_ids = set()

    # one page ----------------------------------------------------------------
    def visit(self, url):
        page = _path(url)
        self._drain(previous=True)
        self.d.get(url)
        WebDriverWait(self.d, 15).until(
            lambda d: d.execute_script("return document.readyState") == "complete")
        # let late requests (favicon, lazy images) start before the log is read
        time.sleep(0.05)
        status = self._drain(page=page)
        here = self.d.current_url
        if status != 200:
            self.problems.append(f"{page}: the browser got HTTP {status} for {_path(here)}")
        self._check_dom(page)
        self._check_cookies(page)
        self._check_headers(page, url)
        final = _path(here)
        self.visited.append(page if final == page else f"{page} (→ {final})")
        state["pages"] += 1
        return self._links()

    def _drain(self, page=None, previous=False):
        """Reads the performance log: checks every request's origin, returns the document status.

        A request is charged to the document it was made for (`documentURL`), so a late request
        of the previous page read here is still charged to that page."""
        status = None
        for entry in self.d.get_log("performance"):
            msg = json.loads(entry["message"])["message"]
            method, params = msg.get("method"), msg.get("params", {})
            if method == "Network.requestWillBeSent":
                request_url = params.get("request", {}).get("url", "")
                key = (params.get("requestId"), request_url)
                if key in self._seen_request_ids:
                    continue
                self._seen_request_ids.add(key)
                self.requests_checked += 1
                state["requests"] += 1
                if request_url.startswith(INLINE_SCHEMES):
                    continue
                if _origin(request_url) != self.origin:
                    owner = _path(params.get("documentURL") or "") or page or "(previous page)"
                    kind = params.get("type", "?")
                    self.problems.append(f"{owner} → {request_url} ({kind}, third-party request)")
            elif method == "Network.responseReceived" and params.get("type") == "Document" and not previous:
                if params.get("frameId") and _origin(params["response"].get("url", "")) == self.origin:
                    status = params["response"].get("status")
        return status

    def _check_dom(self, page):
        declared = self.d.execute_script("""
            const out = [];
            const add = (what, v) => { if (v) out.push([what, v]); };
            for (const l of document.querySelectorAll('link[href]')) {
              const rel = (l.getAttribute('rel') || '').toLowerCase();
              if (/(stylesheet|icon|preload|prefetch|preconnect|dns-prefetch|manifest|modulepreload)/.test(rel))
                add('link rel=' + rel, l.href);
            }
            for (const e of document.querySelectorAll('script[src], img[src], iframe[src], frame[src], embed[src], source[src], video[src], audio[src], track[src], input[type=image][src]'))
              add(e.tagName.toLowerCase() + '[src]', e.src);
            for (const e of document.querySelectorAll('[srcset]'))
              for (const part of e.getAttribute('srcset').split(','))
                add(e.tagName.toLowerCase() + '[srcset]', new URL(part.trim().split(/\\s+/)[0], document.baseURI).href);
            for (const e of document.querySelectorAll('object[data]')) add('object[data]', e.data);
            for (const f of document.querySelectorAll('form')) add('form action', f.action);
            for (const b of document.querySelectorAll('[formaction]')) add('formaction', b.formAction);
            for (const r of performance.getEntriesByType('resource')) add('resource timing', r.name);
            return out;
        """)
        for what, url in declared:
            if url.startswith(INLINE_SCHEMES):
                continue
            if _origin(url) != self.origin:
                self.problems.append(f"{page} → {url} ({what}, declared in the page)")

    def _check_cookies(self, page):
        visible = self.d.execute_script("return document.cookie")
        for pair in filter(None, (p.strip() for p in visible.split(";"))):
            name = pair.split("=", 1)[0]
            if name == SESSION_COOKIE:
                self.problems.append(f"{page}: {SESSION_COOKIE} is readable by scripts (document.cookie): not HttpOnly")
            else:
                self.problems.append(f"{page}: cookie {name!r} is set (document.cookie): only {SESSION_COOKIE} is allowed")
        host = urlsplit(self.base).hostname
        for c in _all_browser_cookies(self.d):
            if c.get("name") != SESSION_COOKIE or c.get("domain", "").lstrip(".") != host:
                self.problems.append(f"{page}: cookie {c.get('name')!r} for {c.get('domain')} is set "
                                     f"(CDP): only {SESSION_COOKIE} for {host} is allowed")
        for c in self.d.get_cookies():
            if c.get("name") != SESSION_COOKIE:
                continue  # reported above
            if c.get("httpOnly") is not True:
                self.problems.append(f"{page}: {SESSION_COOKIE} is not HttpOnly ({c})")
            if c.get("sameSite") != "Lax":
                self.problems.append(f"{page}: {SESSION_COOKIE} is SameSite={c.get('sameSite')}, expected Lax")
            if c.get("path", "/") != "/":
                self.problems.append(f"{page}: {SESSION_COOKIE} has path {c.get('path')}, expected /")

    def _check_headers(self, page, url):
        http = requests.Session()
        for c in self.d.get_cookies():
            http.cookies.set(c["name"], c["value"], domain=c.get("domain"), path=c.get("path", "/"))
        try:
            r = http.get(url, timeout=10, allow_redirects=True,
                         headers={"Accept": "text/html", "Accept-Language": "fr-FR,fr"})
        except requests.RequestException as e:
            self.problems.append(f"{page}: requests could not fetch {url}: {e}")
            return
        if r.status_code != 200:
            self.problems.append(f"{page}: HTTP {r.status_code} with requests (after redirects: {_path(r.url)})")
        for hop in [*r.history, r]:
            csp = hop.headers.get("Content-Security-Policy")
            if not csp:
                self.problems.append(f"{page}: no Content-Security-Policy on the {hop.status_code} of {_path(hop.url)}")
            elif not csp.startswith("default-src 'self'"):
                self.problems.append(f"{page}: Content-Security-Policy of {_path(hop.url)} does not start "
                                     f"with \"default-src 'self'\": {csp!r}")
            for name in _set_cookie_names(hop):
                if name != SESSION_COOKIE:
                    self.problems.append(f"{page}: {_path(hop.url)} sets cookie {name!r}: only {SESSION_COOKIE} is allowed")

    def _links(self):
        return self.d.execute_script(
            "return Array.from(document.querySelectorAll('a[href]'), a => [a.href, a.hasAttribute('download')])")

    # the whole crawl -------------------------------------------------------------
    def run(self, seeds):
        queue = deque(urljoin(self.base, s) for s in seeds)
        queued = {_key(u) for u in queue}
        lang_link = None
        while queue or lang_link:
            if state["pages"] >= MAX_PAGES:
                print(f"[{self.identity}] stopped at the cap of {MAX_PAGES} pages; {len(queue)} left unvisited")
                break
            if time.monotonic() - state["started"] > DEADLINE_SECONDS:
                print(f"[{self.identity}] stopped at the {DEADLINE_SECONDS} s deadline; {len(queue)} left unvisited")
                break
            if queue:
                url = queue.popleft()
            else:
                url, lang_link = lang_link, ""  # "" = visited, never again
            for link, download in self.visit(url):
                link = urldefrag(link)[0]
                if _origin(link) != self.origin:
                    continue  # a link to another site is not a request the page makes
                reason = _skip_reason(link, download)
                if reason:
                    self.skipped.add(f"{_key(link)} ({reason})")
                    continue
                if urlsplit(link).path.startswith("/lang/"):
                    if lang_link is None:
                        lang_link = link
                    continue
                if _key(link) not in queued:
                    queued.add(_key(link))
                    queue.append(link)
        time.sleep(0.2)  # the last page's late requests
        self._drain(previous=True)
        state["per_identity"][self.identity] = (len(self.visited), self.requests_checked)
        print(f"[{self.identity}] crawled {len(self.visited)} pages, checked {self.requests_checked} "
              f"requests: {', '.join(self.visited)}")
        print(f"[{self.identity}] not followed: {', '.join(sorted(self.skipped)) or 'nothing'}")

    def finish(self):
        if self.problems:
            unique = list(dict.fromkeys(self.problems))
            pytest.fail(f"{self.identity}: {len(unique)} problem(s) on {len(self.visited)} pages:\n  "
                        + "\n  ".join(unique), pytrace=False)


# --------------------------------------------------------------------------- helpers


def _origin(url):
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return f"{parts.scheme}://{parts.hostname}:{port}"


def _path(url):
    if not url:
        return ""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _key(url):
    """One visit per distinct path: the query (filters, ?next=, ?back=) does not make a new page."""
    path = urlsplit(url).path or "/"
    return path.rstrip("/") or "/"


def _skip_reason(url, download):
    path = urlsplit(url).path.lower()
    if download:
        return "download attribute"
    if path.endswith(DOWNLOAD_SUFFIXES):
        return "download"
    if any(seg in SKIPPED_SEGMENTS for seg in path.split("/")):
        return "logout or export"
    if path.startswith(SKIPPED_PREFIXES):
        return "API, asset or probe"
    return None


def _all_browser_cookies(driver):
    """Every cookie the browser holds, for every domain (not only the current page's)."""
    for command in ("Storage.getCookies", "Network.getAllCookies"):
        try:
            return driver.execute_cdp_cmd(command, {}).get("cookies", [])
        except Exception:
            continue
    pytest.fail("neither Storage.getCookies nor Network.getAllCookies answered over CDP")


def _set_cookie_names(response):
    raw = response.raw.headers.getlist("Set-Cookie") if hasattr(response.raw.headers, "getlist") else []
    return [h.split("=", 1)[0].strip() for h in raw]


def _reset_browser(driver):
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
    driver.get_log("performance")
    driver.get_log("browser")


# --------------------------------------------------------------------------- the tests


@pytest.fixture(scope="module")
def browser(driver, server):
    state["started"] = time.monotonic()
    _reset_browser(driver)
    # every resource is fetched again on every page, so nothing hides in the cache
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    yield driver
    try:
        driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": False})
        _reset_browser(driver)
        # the next walk starts on a page drawn without a session, not on alice's last page
        leave_anonymous(driver, server)
    except Exception as e:
        print(f"could not reset the browser: {e}")


def test_anonymous_visitor_loads_nothing_from_elsewhere(browser, server):
    crawl = Crawl(browser, server, "anonymous")
    crawl.run(["/"])
    assert len(crawl.visited) >= 5, crawl.visited
    crawl.finish()


def test_board_member_loads_nothing_from_elsewhere(browser, server):
    _reset_browser(browser)
    browser.get(server + "/login")
    browser.find_element(By.CSS_SELECTOR, "#email").send_keys(ALICE)
    browser.find_element(By.CSS_SELECTOR, "#password").send_keys(PASSWORD)
    old = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.CSS_SELECTOR, "#password").find_element(
        By.XPATH, "ancestor::form").find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 15).until(lambda d: _stale(old))
    WebDriverWait(browser, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")
    assert browser.find_elements(By.CSS_SELECTOR, "header form[action='/logout']"), \
        f"alice could not log in (at {browser.current_url})"

    crawl = Crawl(browser, server, "alice")
    crawl.run(["/account", "/"])
    reached = set(crawl.visited)
    for expected in ("/account", f"/c/{COOP}/manage", f"/c/{COOP}/votes", f"/c/{COOP}/decisions"):
        assert any(p.split(" ")[0].split("?")[0] == expected for p in reached), \
            f"the crawl as alice did not reach {expected}: {sorted(reached)}"
    crawl.finish()


def test_summary(browser):
    print(f"crawled {state['pages']} pages and checked {state['requests']} requests "
          f"({', '.join(f'{who}: {p} pages, {r} requests' for who, (p, r) in state['per_identity'].items())}) "
          f"in {time.monotonic() - state['started']:.1f} s")
    assert state["pages"] > 0 and state["requests"] >= state["pages"]


def _stale(element):
    try:
        element.is_enabled()
        return False
    except Exception:
        return True
