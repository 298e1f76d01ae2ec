"""Seeds the demo carpool cooperative for scripts/standards-fuzz and writes schemathesis's configuration.

The standards' documents say a coordinate is a number and a date an integer: random ones only
find an empty list far from any ride, or a 400. So each search gets, mixed with random values, the
demo's real places (its relay points and communes), the days and times its ads travel, and the
radii that reach them; bookings, messages and booking events get journey ids a partner found and
bookings it made, in the state each operation needs.

RDEX+'s document says `carpoolerType` is the strict type (driver, passenger) with `allOf` and, next
to it, `enum: [both]`: read literally no value is valid, while its text and its query parameter
mean the three. The document is copied with that enum written out (driver, passenger, both), as
our own conformance test reads it (YAMLSubset.foldingAllOf), and nothing else changed.

Usage: python standards_fuzz_setup.py BASE_URL SLUG PARTNER_KEY OUT_DIR RDEX_SPEC (writes
OUT_DIR/standard.toml, OUT_DIR/rdex.toml and OUT_DIR/rdexplus.json).
"""
import json
import os
import sys
import uuid
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import requests
import yaml

BASE, SLUG, KEY, OUT, RDEX_SPEC = sys.argv[1:6]
STANDARD = f"{BASE}/c/{SLUG}/carpool/standard"
try:
    PARIS = ZoneInfo("Europe/Paris")
except Exception:  # no time zone database: winter time, a day off only around midnight
    PARIS = timezone(timedelta(hours=1))
REAL = 0.85
TIMEOUT = 20

# The demo's relay points and communes (CarpoolDemo, Communes): Samir drives the stations
# Saint-Nazaire → Nantes on weekdays at 07:15, Théo Savenay → La Haluchère tomorrow at 08:00,
# Yasmine looks for a seat Saint-Nazaire → Nantes in three days at 09:00.
SAINT_NAZAIRE_STATION, NANTES_STATION = (47.2865, -2.2106), (47.2180, -1.5420)
SAVENAY_AREA, HALUCHERE = (47.3563, -1.9265), (47.2490, -1.5210)
SAINT_NAZAIRE, NANTES = (47.2736, -2.2139), (47.2184, -1.5536)


def fail(message):
    sys.exit(f"standards-fuzz setup: {message}")


def at(day, hour, minute):
    return int(datetime.combine(day, datetime.min.time(), tzinfo=PARIS).replace(hour=hour, minute=minute).timestamp())


today = datetime.now(PARIS).date()
weekdays = [today + timedelta(days=n) for n in range(1, 15) if (today + timedelta(days=n)).isoweekday() <= 5]
dates = [at(d, 7, 15) for d in weekdays[:5]] + [at(today + timedelta(days=1), 8, 0), at(today + timedelta(days=3), 9, 0)]
headers = {"X-API-Key": KEY}

found = requests.get(f"{STANDARD}/driver_journeys", headers=headers, timeout=TIMEOUT, params={
    "departureLat": SAINT_NAZAIRE_STATION[0], "departureLng": SAINT_NAZAIRE_STATION[1],
    "arrivalLat": NANTES_STATION[0], "arrivalLng": NANTES_STATION[1], "departureDate": dates[0], "timeDelta": 3600,
    "departureRadius": 2, "arrivalRadius": 2})
if found.status_code != 200:
    fail(f"driver_journeys: {found.status_code} {found.text[:300]}")
journeys = [j["id"] for j in found.json()]
if not journeys:
    fail("the partner finds no journey of the demo's commute")


def book(journey, n):
    booking = str(uuid.uuid4())
    r = requests.post(f"{STANDARD}/bookings", headers=headers, timeout=TIMEOUT, json={
        "id": booking, "status": "WAITING_CONFIRMATION", "driverJourneyId": journey,
        "driver": {"id": "x", "alias": "x", "operator": "example.coop"},
        "passenger": {"id": f"fuzz-{n}", "alias": "Camille", "operator": "partenaire.example.org"},
        "passengerPickupDate": dates[0], "passengerPickupLat": SAINT_NAZAIRE_STATION[0], "passengerPickupLng": SAINT_NAZAIRE_STATION[1],
        "passengerDropLat": NANTES_STATION[0], "passengerDropLng": NANTES_STATION[1], "price": {"type": "FREE"}})
    if r.status_code != 201:
        fail(f"booking: {r.status_code} {r.text[:300]}")
    return booking


bookings = [book(journeys[0], n) for n in range(6)]
print(f"   {len(journeys)} journeys, {len(bookings)} bookings", file=sys.stderr)

lats_from = [SAINT_NAZAIRE_STATION[0], SAVENAY_AREA[0], SAINT_NAZAIRE[0]]
lngs_from = [SAINT_NAZAIRE_STATION[1], SAVENAY_AREA[1], SAINT_NAZAIRE[1]]
lats_to = [NANTES_STATION[0], HALUCHERE[0], NANTES[0]]
lngs_to = [NANTES_STATION[1], HALUCHERE[1], NANTES[1]]
dictionaries = {
    "lat-from": lats_from, "lng-from": lngs_from, "lat-to": lats_to, "lng-to": lngs_to,
    "dates": dates, "radii": [1, 5, 20], "deltas": [900, 3600, 86400], "times-of-day": ["07:15:00", "08:00:00", "17:45:00"],
    "journeys": journeys, "bookings": bookings, "statuses": ["CONFIRMED", "CANCELLED", "COMPLETED_PENDING_VALIDATION"],
    "waiting": ["WAITING_CONFIRMATION"], "counts": [1, 3, 10],
}
SEARCH = {"query.departureLat": "lat-from", "query.departureLng": "lng-from", "query.arrivalLat": "lat-to", "query.arrivalLng": "lng-to",
          "query.departureRadius": "radii", "query.arrivalRadius": "radii", "query.timeDelta": "deltas", "query.count": "counts"}
PUNCTUAL = {**SEARCH, "query.departureDate": "dates"}
STANDARD_OPERATIONS = {
    "getDriverJourneys": PUNCTUAL,
    "getPassengerJourneys": PUNCTUAL,
    "getDriverRegularTrips": {**SEARCH, "query.departureTimeOfDay": "times-of-day"},
    "getPassengerRegularTrips": {**SEARCH, "query.departureTimeOfDay": "times-of-day"},
    "postBookings": {"body.driverJourneyId": "journeys", "body.status": "waiting", "body.passengerPickupDate": "dates",
                     "body.passengerPickupLat": "lat-from", "body.passengerPickupLng": "lng-from",
                     "body.passengerDropLat": "lat-to", "body.passengerDropLng": "lng-to"},
    "getBookings": {"path.bookingId": "bookings"},
    "patchBookings": {"path.bookingId": "bookings", "query.status": "statuses"},
    "postConnections": {"body.bookingId": "bookings", "body.driverJourneyId": "journeys"},
}
# frequency and carpoolerType are enums the generator draws well by itself (and schemathesis 4.32
# fails to check a dictionary against a parameter whose schema is a $ref).
RDEX_OPERATIONS = {"getJourneys": PUNCTUAL}


def toml(value):
    return json.dumps(value, ensure_ascii=True)


def write(name, operations, by_path=()):
    lines = [f"# made by scripts/standards-fuzz (standards_fuzz_setup.py) for one run", ""]
    for key, values in dictionaries.items():
        lines += [f"[dictionaries.{toml(key)}]", f"values = {toml(values)}", ""]

    def binding(bindings):
        entries = ", ".join(f"{toml(k)} = {{ dictionary = {toml(v)}, probability = {REAL} }}" for k, v in bindings.items())
        return f"parameters = {{ {entries} }}"

    for operation_id, bindings in operations.items():
        lines += ["[[operations]]", f"include-operation-id = {toml(operation_id)}", binding(bindings), ""]
    for path, bindings in by_path:
        lines += ["[[operations]]", f"include-path = {toml(path)}", binding(bindings), ""]
    with open(os.path.join(OUT, f"{name}.toml"), "w") as f:
        f.write("\n".join(lines))


# The booking events webhook has no operation id in the standard's document: matched by its path.
write("standard", STANDARD_OPERATIONS, by_path=[("/booking_events", {"body.data.id": "bookings", "body.data.status": "statuses"})])
write("rdex", RDEX_OPERATIONS)


with open(RDEX_SPEC) as f:
    rdex = yaml.safe_load(f)
carpooler = rdex["components"]["schemas"]["carpoolerType"]
if carpooler.get("enum") == ["both"] and "allOf" in carpooler:
    rdex["components"]["schemas"]["carpoolerType"] = {"type": "string", "description": carpooler.get("description", ""),
                                                     "enum": ["driver", "passenger", "both"]}
with open(os.path.join(OUT, "rdexplus.json"), "w") as f:
    # YAML reads the response codes as numbers; JSON wants them as keys.
    json.dump(rdex, f, default=str)
