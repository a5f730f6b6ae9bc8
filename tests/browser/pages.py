"""The pages in a real browser (Debian's chromium, headless, driven by Playwright) against a
real server with demo data: every page loads with no console error and no failed request, the
network map shows every site, each city page shows the same median and status as
/v1/cities/{id}/stats, the UI speaks the asked language, and a report card prints to at most
two A4 pages. Screenshots and the printed cards are written to target/screenshots/.

Usage: pages.py BASE_URL OUT_DIR
"""
import csv
import json
import pathlib
import re
import sys
import urllib.request

from playwright.sync_api import sync_playwright

BASE, OUT = sys.argv[1].rstrip("/"), pathlib.Path(sys.argv[2])
OUT.mkdir(parents=True, exist_ok=True)
ROOT = pathlib.Path(__file__).resolve().parents[2]
UI = {row["key"]: row for row in csv.DictReader(open(ROOT / "fixtures/i18n/ui.csv", encoding="utf-8"))}
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


def api(path):
    with urllib.request.urlopen(BASE + path, timeout=60) as response:
        return json.load(response)


def one_decimal(value):
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


class Browser:
    def __init__(self, playwright):
        self.browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
        self.context = self.browser.new_context(viewport={"width": 1280, "height": 900})
        self.problems = []

    def open(self, path, wait_for=None):
        page = self.context.new_page()
        page.on("console", lambda m: m.type == "error" and self.problems.append(f"{path}: console: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"{path}: page error: {e}"))
        page.on("requestfailed", lambda r: self.problems.append(f"{path}: request failed: {r.url}"))
        page.on("response", lambda r: r.status >= 400 and self.problems.append(f"{path}: {r.status} {r.url}"))
        response = page.goto(BASE + path, wait_until="networkidle")
        assert response.status == 200, f"{path}: {response.status}"
        if wait_for:
            page.wait_for_selector(wait_for, timeout=15000)
        return page


def main():
    cities = api("/v1/cities")
    sites = api("/v1/sites.geojson")["features"]
    busiest = max(cities, key=lambda c: c["sites"])
    with sync_playwright() as playwright:
        b = Browser(playwright)

        # the network: every site on the map, over the coastline
        page = b.open("/", wait_for="#map[data-markers]")
        markers = int(page.get_attribute("#map", "data-markers"))
        assert markers == len(sites), f"map shows {markers} of {len(sites)} sites"
        page.wait_for_function("document.querySelectorAll('#map path').length > %d" % len(sites))
        assert page.locator("#map path.leaflet-interactive").count() == len(sites)
        assert page.locator("tr[data-city]").count() == len(cities)
        ld = json.loads(page.locator("script[type='application/ld+json']").text_content())
        assert ld["@type"] == "Dataset" and ld["license"].startswith("https://"), ld
        page.screenshot(path=str(OUT / "network.png"), full_page=True)

        # every city page: the same median and status as the JSON statistics
        checked = 0
        for city in cities:
            stats = api(f"/v1/cities/{city['id']}/stats")["beach_litter"]
            threshold = stats["eu_threshold"]
            page = b.open(f"/cities/{city['id']}?lang=en", wait_for="#map[data-markers]")
            expected = {"meets": "meets", "exceeds": "exceeds", "insufficient_data": "insufficient"}[threshold["status"]]
            if threshold["status"] == "insufficient_data" and threshold["surveys"] == 0:
                expected = "not_assessed" if stats["surveys"] else "none"
            shown = page.get_attribute("[data-test=status]", "data-status")
            assert shown == expected, f"{city['name']}: page says {shown}, API {threshold}"
            if "median_per_100m" in threshold:
                median = page.text_content("[data-test=median]").strip()
                assert median == one_decimal(threshold["median_per_100m"]), f"{city['name']}: {median} vs {threshold}"
                assert page.text_content("[data-test=n]").strip() == str(threshold["surveys"])
            assert page.text_content("[data-test=surveys]").strip() == str(stats["surveys"])
            assert int(page.get_attribute("#map", "data-markers")) == city["sites"]
            if city["id"] == busiest["id"]:
                assert page.locator("[data-test=trend-chart] svg circle").count() > 0
                page.screenshot(path=str(OUT / "city.png"), full_page=True)
                page.screenshot(path=str(OUT / "city-top.png"))
            page.close()
            checked += 1
        assert checked == len(cities)

        # a site page, the report cards (printed: at most two A4 pages)
        site_id = sites[0]["id"]
        page = b.open(f"/sites/{site_id}", wait_for="#map[data-markers]")
        site_stats = api(f"/v1/sites/{site_id}/stats")["beach_litter"]
        assert page.text_content("[data-test=surveys]").strip() == str(site_stats["surveys"])
        page.screenshot(path=str(OUT / "site.png"), full_page=True)
        for path, name in [(f"/cities/{busiest['id']}/card", "city-card"), (f"/sites/{site_id}/card", "site-card")]:
            page = b.open(path)
            page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
            page.emulate_media(media="print")
            pdf = page.pdf(format="A4", print_background=True)
            (OUT / f"{name}.pdf").write_bytes(pdf)
            pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
            assert 1 <= pages <= 2, f"{name} prints on {pages} pages"

        # the reader's language: ?lang= and Accept-Language
        for lang in ["zh", "vi", "id"]:
            page = b.open(f"/?lang={lang}", wait_for="#map[data-markers]")
            assert page.get_attribute("html", "lang") == lang
            assert page.text_content("h1").strip() == UI["network_title"][lang]
        german_chinese = b.browser.new_context(locale="zh-CN", extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"})
        page = german_chinese.new_page()
        page.goto(f"{BASE}/cities/{busiest['id']}", wait_until="networkidle")
        assert page.text_content("h2").strip() == UI["status"]["zh"], page.text_content("h2")
        page.screenshot(path=str(OUT / "city-zh.png"))

        assert not b.problems, "\n".join(b.problems)
        b.browser.close()
    print(f"pages: {len(cities)} city pages, the network map with {len(sites)} sites, 2 cards, 3 languages: ok")


main()
