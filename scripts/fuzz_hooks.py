"""schemathesis hooks for scripts/fuzz-api (loaded through SCHEMATHESIS_HOOKS).

The configuration's dictionaries put real identifiers into generated requests; what they cannot
do is write a whole body. A CSV import needs a header line naming the columns: random text never
has one, so the generator mixes in product files a producer would send; a carpool ad or alert
needs all its parts to agree, so the generator mixes in trips a member would publish.
"""
import schemathesis
from hypothesis import strategies as st

CSV_FILES = [
    "produit,variante,quantité,prix,tva,stock,catégorie,unité,description\n"
    "Carottes du fuzz,1 kg,1,\"2,20\",\"5,5\",50,Légumes,kg,Carottes de saison\n"
    "Carottes du fuzz,2 kg,2,\"4,10\",\"5,5\",,Légumes,kg,Carottes de saison\n",
    "product;price;vat;category;unit\nFuzz honey;8.50;5.5;Honey;jar\n",
    "Nom;Prix;TVA;Catégorie;Unité;Stock\nPain du fuzz;3,20;5,5;Pain;pièce;12\nBrioche du fuzz;5,50;5,5;Pain;pièce;\n",
]


@schemathesis.hook("flatmap_body").apply_to(operation_id="importProductsCSV")
def products_file(context, body):
    return st.one_of(st.just(body), st.sampled_from(CSV_FILES))


# A carpool ad or alert is only published when every part of it holds together (a role, a day to
# come, a time, two known places): random bodies seldom do, so half of them are such a trip.
def weekdays_ahead(count=10):
    from datetime import date, timedelta
    days = (date.today() + timedelta(days=n) for n in range(2, 30))
    return [d.isoformat() for d in days if d.isoweekday() <= 5][:count]


TRIPS = [("Saint-Nazaire", "Nantes"), ("Savenay", "Nantes"), ("Nantes", "Saint-Nazaire")]


@schemathesis.hook("flatmap_body").apply_to(operation_id="publishCarpoolAd")
def carpool_ad(context, body):
    ads = [{"role": role, "frequency": "punctual", "date": day, "time": time, "from": {"commune": a}, "to": {"commune": b}}
           for role in ("driver", "passenger") for day in weekdays_ahead(3) for time in ("07:30", "17:45") for a, b in TRIPS]
    return st.one_of(st.just(body), st.sampled_from(ads))


@schemathesis.hook("flatmap_body").apply_to(operation_id="createCarpoolAlert")
def carpool_alert(context, body):
    alerts = [{"lookingFor": role, "origin": {"commune": a}, "destination": {"commune": b}}
              for role in ("driver", "passenger") for a, b in TRIPS]
    return st.one_of(st.just(body), st.sampled_from(alerts))


# A DFC order is taken only when its lines name offers the cycle sells: fuzz_setup.py writes such
# orders (ours, by the IRIs our catalog gives them) into fixtures.json, mixed here into generated ones.
def dfc_bodies():
    import json
    try:
        with open("fixtures.json") as f:
            return json.load(f).get("dfc_bodies") or []
    except OSError:
        return []


def dfc_mixed(body):
    bodies = dfc_bodies()
    return st.one_of(st.just(body), st.sampled_from(bodies)) if bodies else st.just(body)


@schemathesis.hook("flatmap_body").apply_to(operation_id="placeDFCOrder")
def dfc_order(context, body):
    return dfc_mixed(body)


@schemathesis.hook("flatmap_body").apply_to(operation_id="replaceDFCOrder")
def dfc_replacement(context, body):
    return dfc_mixed(body)


@schemathesis.hook("flatmap_body").apply_to(operation_id="amendDFCOrder")
def dfc_amendment(context, body):
    return dfc_mixed(body)
