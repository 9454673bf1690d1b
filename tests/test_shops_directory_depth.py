"""The directory at any depth: "Berikutnya" and "Sebelumnya" links that name the shop a page
continues from (shareable, no OFFSET), a count per filter counted once for all its pages, and
every filter served by an index on SQLite and PostgreSQL (checked with EXPLAIN)."""
import re

import pytest
from helpers import PG_URL, sent_statements
from sqlalchemy import text

from campaign.core.extensions import db

NAMES = ["Toko " + letter for letter in "ABCDEFGHIJK"]  # 11 shops, 3 to a page: 4 pages


@pytest.fixture
def app_config():
    return {"PER_PAGE": 3}


@pytest.fixture
def shops(make_shop):
    for name in reversed(NAMES):  # ids in the opposite order to the names
        make_shop(name=name)


def names_on(page: str) -> list[str]:
    return re.findall(r'<h2><a href="/toko/\d+">([^<]+)</a></h2>', page)


def link(page: str, rel: str) -> str | None:
    found = re.search(rf'href="([^"]+)" rel="{rel}"', page)
    return found.group(1).replace("&amp;", "&") if found else None


def walk(client, url: str, rel: str) -> list[tuple[str, list[str], str]]:
    """Follow ``rel`` links from ``url``: (url, names, the "halaman" line) of every page."""
    pages = []
    while url:
        page = client.get(url).get_data(as_text=True)
        pages.append((url, names_on(page), re.search(r"halaman \d+ dari \d+", page).group(0)))
        url = link(page, rel)
    return pages


def test_next_links_walk_the_whole_directory_once_naming_the_shop_they_continue_from(client, shops):
    pages = walk(client, "/toko", "next")
    assert [names for _url, names, _line in pages] == [NAMES[0:3], NAMES[3:6], NAMES[6:9], NAMES[9:]]
    assert [line for _url, _names, line in pages] == [f"halaman {n} dari 4" for n in range(1, 5)]
    assert all("setelah=" in url and f"page={n}" in url for n, (url, _names, _line) in enumerate(pages[1:], 2))


def test_previous_links_walk_back_to_the_plain_first_page(client, shops):
    last = walk(client, "/toko", "next")[-1][0]
    back = walk(client, last, "prev")
    assert [names for _url, names, _line in back] == [NAMES[9:], NAMES[6:9], NAMES[3:6], NAMES[0:3]]
    assert "sebelum=" in back[1][0] and back[-1][0] == "/toko"


def test_a_deep_link_shared_shows_the_same_page_to_anyone(app, client, shops):
    url = walk(client, "/toko", "next")[2][0]
    assert names_on(app.test_client().get(url).get_data(as_text=True)) == NAMES[6:9]


def test_a_link_after_a_shop_that_is_gone_falls_back_to_its_page_number(client, shops):
    assert names_on(client.get("/toko?page=2&setelah=999999").get_data(as_text=True)) == NAMES[3:6]
    assert names_on(client.get("/toko?page=2&setelah=abc").get_data(as_text=True)) == NAMES[3:6]


def test_next_links_keep_the_filters(client, make_shop):
    for name in NAMES:
        make_shop(name=name, region="73.71", category="kopi")
    make_shop(name="Toko AA", region="73.73", category="kopi")
    pages = walk(client, "/toko?wilayah=73.71&kategori=kopi&q=toko", "next")
    assert [name for _url, names, _line in pages for name in names] == NAMES


def test_a_filter_is_counted_once_for_all_its_pages(app, client, shops):
    with app.app_context():
        engine = db.engine
    with sent_statements(engine) as seen:
        for url, _names, _line in walk(client, "/toko?q=toko", "next"):
            assert url
    counts = [statement.lower() for statement in seen if "count(" in statement.lower()]
    # the search's, and the directory's without the words (to choose how to read a page), once each
    assert len(counts) == 2 and len({"like" in c or "match" in c for c in counts}) == 2, counts


@pytest.mark.parametrize("filters", ["", "&q=toko", "&kategori=kopi"])
def test_a_page_asked_for_by_number_starts_at_its_landmark_with_the_same_shops(app, client, make_shop, filters):
    """Past DIRECTORY_LANDMARKS_FROM shops, ``?page=N`` starts after the last shop of page N - 1,
    read once per filter from every page's landmark: the same shops as in order, also right
    after a shop is added before them, and nothing past the last page."""
    app.config["DIRECTORY_LANDMARKS_FROM"] = 0
    for name in reversed(NAMES):
        make_shop(name=name, category="kopi")
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def pages():
        with sent_statements(engine) as sent:
            found = [names_on(client.get(f"/toko?page={n}{filters}").get_data(as_text=True)) for n in (3, 1, 4, 2, 5)]
        seen.extend(statement.lower() for statement in sent)
        return found

    assert pages() == [NAMES[6:9], NAMES[0:3], NAMES[9:], NAMES[3:6], []]
    assert sum("row_number()" in statement for statement in seen) == 1, "the landmarks are read once"
    make_shop(name="Toko BB", category="kopi")
    grown = NAMES[:2] + ["Toko BB"] + NAMES[2:]
    assert pages() == [grown[6:9], grown[0:3], grown[9:], grown[3:6], []]
    assert sum("row_number()" in statement for statement in seen) == 2, "read again once a shop changed"


FILTERS = [
    {}, {"region_code": "73.73"}, {"category": "kopi"}, {"district_code": "district"}, {"q": "warung"},
    {"q": "warung daeng", "region_code": "73.73"}, {"q": "wa"},
]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: "-".join(f) or "none")
@pytest.mark.parametrize("where", ["first", "after", "before", "deep", "after_id", "before_id"])
def test_every_directory_page_is_read_through_an_index(app, make_shop, filters, where):
    from campaign.domains.regions.models import District
    from campaign.domains.shops import directory
    from campaign.domains.shops.models import Shop
    from campaign.domains.shops.queries import _DIRECTORY_COLUMNS

    shop_id = make_shop(name="Warung Daeng")
    with app.app_context():
        if "district_code" in filters:
            filters = {**filters, "district_code": db.session.scalar(
                db.select(District.code).join(Shop, Shop.district_id == District.id).where(Shop.id == shop_id))}
        chosen = directory.Filters(**{"region_code": None, "district_code": None, "category": None, "q": "",
                                      **filters})
        position = directory.Position(  # _id: the shop's place read in the page's own statement
            after=shop_id if where.startswith("after") else None,
            before=shop_id if where.startswith("before") else None, offset=4000 if where == "deep" else 0)
        position = position if where.endswith("_id") else directory.resolve(position)
        statements = [directory.page_rows(_DIRECTORY_COLUMNS, chosen, position, 20)]
        if chosen.q:  # a search with few matches reads them first (directory.matches_first)
            statements.append(directory.page_rows(_DIRECTORY_COLUMNS, chosen, position, 20, first_matches=True))
        if filters:  # the unfiltered count is the whole directory: kept per process, never per page
            statements.append(directory.count_statement(chosen))
        for statement, params in statements:
            plan = _plan(statement.params(params))
            assert not _full_scan(plan), plan


def _plan(statement) -> str:
    sql = str(statement.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
    connection = db.session.connection()
    if PG_URL:
        connection.execute(text("SET LOCAL enable_seqscan = off"))  # the plan an index allows
        return "\n".join(row[0] for row in connection.exec_driver_sql("EXPLAIN " + sql.replace("%", "%%")))
    return "\n".join(row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))


def _full_scan(plan: str) -> bool:
    """A read of every row of shop: SQLite's ``SCAN shop`` (with or without an index, no
    constraint on it), PostgreSQL's ``Seq Scan on shop``."""
    return bool(re.search(r"\bSCAN shop\b(?!_)|Seq Scan on shop\b", plan))


def test_a_search_page_is_the_same_read_either_way(app, make_shop):
    """Matches first (few of them) or a walk of the directory in order (many): the same shops,
    in the same order, on every kind of page."""
    from campaign.domains.shops import directory
    from campaign.domains.shops.queries import _DIRECTORY_COLUMNS

    ids = {name: make_shop(name=name) for name in
           ["Kopi Daeng", "Warung Kopi", "Kedai Kopi Ana", "Toko Beras", "Kopi Susu", "Warung Sari", "kopiah Haji"]}
    with app.app_context():
        chosen = directory.Filters(None, None, None, "kopi")
        positions = [directory.Position(), directory.Position(offset=2), directory.Position(after=ids["Kopi Daeng"]),
                     directory.Position(before=ids["Warung Kopi"]), directory.Position(after=ids["Toko Beras"])]
        for position in positions:
            pages = [[row.name for row in db.session.execute(*directory.page_rows(
                _DIRECTORY_COLUMNS, chosen, position, 2, first_matches=first))] for first in (False, True)]
            assert pages[0] == pages[1] and pages[0], position
        everything = db.session.execute(*directory.page_rows(_DIRECTORY_COLUMNS, chosen, directory.Position(), 10,
                                                             first_matches=True)).all()
        assert [row.name for row in everything] == ["Kedai Kopi Ana", "Kopi Daeng", "Kopi Susu", "kopiah Haji",
                                                    "Warung Kopi"]


@pytest.mark.parametrize(("total", "unworded", "reach", "first"), [
    (0, 40_000, 20, True),  # nothing matches: a walk would read the whole directory for it
    (81, 42_000, 20, True),  # a number in a few names
    (7_000, 42_000, 20, False),  # "warung": the page fills after about 120 shops of the walk
    (900, 42_000, 20, True), (950, 42_000, 20, False),  # the crossing: total^2 = reach x unworded
    (7_000, 42_000, 40_000, True),  # deep: the walk would pass most of the directory
])
def test_a_search_reads_its_matches_first_when_the_walk_would_be_longer(total, unworded, reach, first):
    from campaign.domains.shops import directory

    assert directory.matches_first(directory.Filters(None, None, None, "kopi"), total, unworded, reach) is first
    assert directory.matches_first(directory.Filters(None, None, None, ""), total, unworded, reach) is False
