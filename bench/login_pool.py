#!/usr/bin/env python3
"""Fetch N (session cookie, CSRF token) pairs from GET /login, one per line: "<cookie> <token>".

Usage: login_pool.py BASE_URL N OUTFILE. Uses a few keep-alive connections in parallel.
"""
import http.client
import re
import sys
import threading
import urllib.parse

base, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
url = urllib.parse.urlsplit(base)
TOKEN = re.compile(r'name="_csrf" value="([^"]+)"')
pairs, lock, errors = [], threading.Lock(), []


def worker(count):
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    for _ in range(count):
        conn.request("GET", "/login")
        resp = conn.getresponse()
        body = resp.read().decode("utf-8", "replace")
        cookie = None
        for header in resp.headers.get_all("Set-Cookie") or []:
            if header.startswith("maillage_session="):
                cookie = header.split(";", 1)[0].split("=", 1)[1]
        match = TOKEN.search(body)
        if resp.status != 200 or not cookie or not match:
            with lock:
                errors.append(f"GET /login: status {resp.status}, cookie {'yes' if cookie else 'no'}, token {'yes' if match else 'no'}")
            return
        with lock:
            pairs.append((cookie, match.group(1)))
    conn.close()


workers = 4
threads = [threading.Thread(target=worker, args=(n // workers + (1 if i < n % workers else 0),)) for i in range(workers)]
for t in threads:
    t.start()
for t in threads:
    t.join()
if errors:
    sys.exit(errors[0])
with open(out, "w") as f:
    for cookie, token in pairs:
        f.write(f"{cookie} {token}\n")
print(len(pairs))
