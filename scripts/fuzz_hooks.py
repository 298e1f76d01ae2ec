"""schemathesis hooks for scripts/fuzz-api (loaded through SCHEMATHESIS_HOOKS).

The configuration's dictionaries put real identifiers into generated requests; what they cannot
do is write a whole body. A CSV import needs a header line naming the columns: random text never
has one, so the generator mixes in product files a producer would send.
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
