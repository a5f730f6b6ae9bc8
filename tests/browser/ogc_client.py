"""OWSLib, a real OGC API client, against the server: it reads the landing page, conformance
and collections, and pages through `surveys` with a bbox and a datetime filter; every feature
it reads matches the JSON API's record, and the pages hold exactly the features inside.

Usage: ogc_client.py BASE_URL TOKEN
"""
import json
import sys
import urllib.parse
import urllib.request

from owslib.ogcapi.features import Features

BASE, TOKEN = sys.argv[1].rstrip("/"), sys.argv[2]
BBOX = [100.0, 8.0, 110.0, 17.0]
DATETIME = "2023-01-01/2025-12-31"


def api(path):
    request = urllib.request.Request(BASE + path, headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


ogc = Features(BASE + "/ogc")
assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in ogc.conformance()["conformsTo"]
collections = ogc.collections()["collections"]
assert [c["id"] for c in collections] == ["sites", "surveys", "samples"], collections
assert ogc.collection("surveys")["extent"]["spatial"]["bbox"], "the surveys have an extent"

# every page of the filtered surveys, following the server's next links through OWSLib
features, after, pages = [], None, 0
while True:
    extra = {"after": after} if after else {}
    page = ogc.collection_items("surveys", bbox=BBOX, datetime_=DATETIME, limit=25, **extra)
    features.extend(page["features"])
    pages += 1
    following = [link for link in page["links"] if link["rel"] == "next"]
    if not following:
        break
    after = urllib.parse.parse_qs(urllib.parse.urlparse(following[0]["href"]).query)["after"][0]
assert len(features) >= 25, f"only {len(features)} surveys in the box"
ids = [f["id"] for f in features]
assert ids == sorted(set(ids)), "each survey once, by id"

# exactly the accepted surveys inside: compared with the unfiltered collection read the same way
everything, after = [], None
while True:
    page = ogc.collection_items("surveys", limit=1000, **({"after": after} if after else {}))
    everything.extend(page["features"])
    if page["numberReturned"] < 1000:
        break
    after = everything[-1]["id"]
inside = [
    f["id"] for f in everything
    if BBOX[0] <= f["geometry"]["coordinates"][0] <= BBOX[2] and BBOX[1] <= f["geometry"]["coordinates"][1] <= BBOX[3]
    and "2023-01-01" <= f["properties"]["date"] <= "2025-12-31"
]
assert ids == inside, f"{len(ids)} read through the filter, {len(inside)} inside"

# each feature is the JSON API's record
for feature in features:
    record = api(f"/v1/surveys/{feature['id']}")
    p = feature["properties"]
    for field in ["date", "protocol", "kind", "site_id"]:
        assert p[field] == record[field], (field, p, record)
    for field in ["total_items", "items_per_100m", "plastic_items", "cci"]:
        assert p[field] == record["summary"][field], (field, p, record["summary"])
print(f"owslib: {len(collections)} collections; {len(features)} surveys in {pages} pages of the bbox and datetime: ok")
