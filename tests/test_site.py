"""The criteria guide: generated pages (golden files), escaping, the real MkDocs build, links.

Golden files in tests/golden/ hold the exact Markdown of every generated page. After an
intended change, regenerate them with `UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_site.py`
and review the diff.
"""

from __future__ import annotations

import copy
import dataclasses
import html
import json
import os
import re
import shutil
from collections.abc import Iterator
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import markdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.utils.yaml import yaml_load

from conftest import run_mkdocs
from generator import pages, search
from generator.loader import RubricFileError, load_file, load_text, read_yaml
from generator.pages import example, fragments, markup, reference, starting
from generator.pages.reference import CLASS_VI, FIELD_VI
from generator.schema import rubric_schema
from generator.textout import roman
from scoring_py import codec
from scoring_py.rubric import canonical_json, evidence_strength, load_rubric_json

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
EXAMPLE = ROOT / "site_src" / pages.EXAMPLE
FRAGMENTS = ROOT / "site_src" / "overrides" / "fragments"
NASTY = "<script>alert(1)</script> **đậm** [liên kết](http://x) _nghiêng_ `mã` | ô # {#x}"


def mkdocs_config() -> dict[str, Any]:
    """The project's mkdocs.yml as data (read as MkDocs reads it: `!ENV` tags too)."""
    return yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))


def render_markdown(text: str) -> str:
    """Render Markdown with the extensions the site uses."""
    extensions: list[Any] = []
    configs: dict[str, Any] = {}
    for entry in mkdocs_config()["markdown_extensions"]:
        if isinstance(entry, dict):
            ((name, options),) = entry.items()
            extensions.append(name)
            configs[name] = options or {}
        else:
            extensions.append(entry)
    return str(markdown.markdown(text, extensions=extensions, extension_configs=configs))


def visible_text(rendered: str) -> str:
    """The text a reader sees in rendered HTML."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", rendered)).split())


@pytest.fixture(scope="module")
def generated() -> pages.Site:
    """The generator's output for the bundled rubrics."""
    return pages.build_site(ROOT / "rubrics", ROOT / "site_src", FRAGMENTS)


# --------------------------------------------------------------------------------------------
# Wording and the example rubric


def test_every_model_field_has_a_vietnamese_description() -> None:
    """The reference describes exactly the model's classes and fields, in Vietnamese, none empty."""
    classes = reference.model_classes()
    names = {cls.__name__ for cls in classes}
    assert set(CLASS_VI) == names
    assert set(FIELD_VI) == names
    for cls in classes:
        fields = {f.name for f in dataclasses.fields(cls)}
        assert set(FIELD_VI[cls.__name__]) == fields, cls.__name__
        assert all(text.strip() for text in FIELD_VI[cls.__name__].values()), cls.__name__


def test_the_format_reference_covers_every_field() -> None:
    """The authors' guide has one table row per field of each class, with both descriptions."""
    for doc in reference.format_reference():
        cls = next(c for c in reference.model_classes() if c.__name__ == doc.name)
        assert [k.name for k in doc.keys] == [f.name for f in dataclasses.fields(cls)]
        assert all(k.vi and k.en for k in doc.keys), doc.name


def test_the_annotated_example_passes_the_loader() -> None:
    """The example rubric of the authors' guide is valid."""
    rubric = load_file(EXAMPLE)
    assert rubric.id == EXAMPLE.stem


def _keys(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from _keys(value)
    elif isinstance(data, list):
        for value in data:
            yield from _keys(value)


def test_the_annotated_example_uses_every_feature() -> None:
    """Every key of the format and every kind, scorer, section and override effect appear."""
    data, reader = read_yaml(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))
    assert reader.problems == []
    used = set(_keys(data))
    every = {f.name for cls in reference.model_classes() for f in dataclasses.fields(cls)}
    older = {"required", "evidence_required"}  # older forms of `strength` and `evidence`
    assert every - used == older
    assert not older & used
    rubric = load_file(EXAMPLE)
    items = [i for c in rubric.criteria for i in c.items]
    assert {i.kind for i in items} == {"score", "choice", "yesno", "ratio", "steps", "deduction"}
    assert {i.given_by for i in items} == {"unit", "appraiser", "superior", "survey"}
    assert {c.section for c in rubric.criteria} == {"base", "bonus", "penalty"}
    assert {o.effect for o in rubric.overrides} == {"force", "cap", "unclassifiable"}
    assert any(not b.stated for b in rubric.bands)
    strengths = {evidence_strength(rubric, i) for i in items}
    assert strengths == {"required", "expected", "none"}


# --------------------------------------------------------------------------------------------
# Escaping


@pytest.mark.parametrize(
    "text",
    [
        NASTY,
        "- không phải danh sách",
        "+ Cơ quan, đơn vị",
        "1. không phải danh sách có số",
        "# không phải tiêu đề",
        "!!! note không phải hộp ghi chú",
        "&amp; &lt;b&gt; &#123;",
        "a\\*b\\",
        "<http://x> <a href='y'>z</a>",
        "~~~\nkhông phải khối mã",
    ],
)
@pytest.mark.parametrize("context", ["{}", "- {}", "| a | b |\n| --- | --- |\n| {} | c |", "## {}"])
def test_rubric_text_shows_literally(text: str, context: str) -> None:
    """Rubric text containing HTML or Markdown syntax renders as the same text, no markup."""
    rendered = render_markdown(context.format(markup.md_escape(text)))
    assert "<script" not in rendered
    assert "<strong" not in rendered and "<em" not in rendered and "<code" not in rendered
    assert 'href="http://x"' not in rendered and 'href="y"' not in rendered
    assert "<pre" not in rendered
    assert "<h1" not in rendered and "<ol" not in rendered
    assert " ".join(text.split()) in visible_text(rendered)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ađêơ Ư1.*_`[](){}<>#|!+-=~^&;:/\\\"'\n\t")), max_size=30)
)
def test_any_text_shows_literally(text: str) -> None:
    """Whatever the characters, escaped text renders to itself inside a paragraph and a cell."""
    for context in ("Chữ: {}", "| a |\n| --- |\n| {} |"):
        rendered = render_markdown(context.format(markup.md_escape(text)))
        expected = " ".join(("Chữ: " + text if context.startswith("Chữ") else "a " + text).split())
        assert visible_text(rendered) == expected, rendered


def test_fold() -> None:
    """Folding strips Vietnamese diacritics and keeps the length."""
    assert search.fold("Tiếp công dân, ĐỐI THOẠI, đường") == "Tiep cong dan, DOI THOAI, duong"
    text = "Thang điểm dân vận chính quyền — Hưng Yên"
    assert len(search.fold(text)) == len(text)


VOWELS = {
    "a": "aàáảãạăằắẳẵặâầấẩẫậ",
    "e": "eèéẻẽẹêềếểễệ",
    "i": "iìíỉĩị",
    "o": "oòóỏõọôồốổỗộơờớởỡợ",
    "u": "uùúủũụưừứửữự",
    "y": "yỳýỷỹỵ",
    "d": "dđ",
}
"""The Vietnamese letters by their bare letter, as the alphabet is taught (a reference written
out, not derived from Unicode's tables)."""


def test_fold_table_gives_every_vietnamese_letter_its_bare_letter() -> None:
    """The table the pages' highlighting reads folds each of the 67 letters with a mark (and
    their capitals) to its bare letter, and leaves bare letters out."""
    letters = "".join(VOWELS.values())
    table = search.fold_table([letters, letters.upper()])
    expected = {letter: bare for bare, group in VOWELS.items() for letter in group[1:]}
    expected |= {letter.upper(): bare.upper() for letter, bare in expected.items()}
    assert table == expected
    assert len(table) == 2 * (len(letters) - len(VOWELS))


def test_numbers_and_numerals() -> None:
    """Points use comma decimals; criteria use Roman numerals."""
    assert markup.vn_number(Decimal("0.5")) == "0,5"
    assert markup.vn_number(Decimal("12.250")) == "12,25"
    assert [roman(n) for n in (1, 4, 8, 9, 14, 40)] == ["I", "IV", "VIII", "IX", "XIV", "XL"]
    assert markup.vn_date("2020-01-08") == "08/01/2020"


# --------------------------------------------------------------------------------------------
# Generated pages


def test_generated_pages_match_the_golden_files(generated: pages.Site) -> None:
    """Each generated page equals its golden file (UPDATE_GOLDEN=1 rewrites them)."""
    pages = {p.src_uri: p.content for p in generated.pages}
    if os.environ.get("UPDATE_GOLDEN") == "1":
        for old in GOLDEN.rglob("*.md"):
            old.unlink()
        for uri, content in pages.items():
            path = GOLDEN / uri
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8", newline="\n")
    golden = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.md")}
    assert golden == set(pages), "UPDATE_GOLDEN=1 regenerates tests/golden/"
    for uri, content in pages.items():
        expected = (GOLDEN / uri).read_text(encoding="utf-8")
        assert content == expected, f"{uri} differs from tests/golden/{uri}"


def test_pages_and_navigation(generated: pages.Site) -> None:
    """Home, the "Bắt đầu" pages, per rubric an overview, one page per criterion, scoring,
    source; the guide."""
    uris = [p.src_uri for p in generated.pages]
    assert uris[0] == "index.md"
    roles = [role.src_uri for role in starting.ROLES]
    assert uris[1:4] == roles
    assert generated.nav[1] == {"Bắt đầu": [{r.title: r.src_uri} for r in starting.ROLES]}
    assert uris[-1] == f"{pages.GUIDE}/index.md"
    for path in sorted((ROOT / "rubrics").glob("*.yaml")):
        rubric = load_file(path)
        base = rubric.id
        expected = [f"{base}/index.md"]
        expected += [f"{base}/tieu-chi-{c.id}.md" for c in rubric.criteria]
        expected += [f"{base}/cach-tinh-diem.md", f"{base}/cham-diem.md", f"{base}/tong-hop.md"]
        expected += [f"{base}/van-ban-nguon.md"]
        assert [u for u in uris if u.startswith(base + "/")] == expected
        assert generated.assets[f"{base}/rubric.json"] == canonical_json(rubric) + "\n"
        assert load_rubric_json(generated.assets[f"{base}/rubric.json"]) == rubric
        source = ROOT / "rubrics" / "sources" / rubric.legal.source
        assert generated.assets[f"{base}/nguon.txt"] == source.read_text(encoding="utf-8")
    nav_pages = json.dumps(generated.nav)
    assert all(uri in nav_pages for uri in uris)


def test_many_rubrics_are_grouped_by_province_in_the_navigation(tmp_path: Path) -> None:
    """Up to NAV_GROUP_ABOVE rubrics are listed flat; beyond, one section per province, in
    the order of the rubrics, each holding its rubrics' full sections."""
    source = (ROOT / "rubrics" / "hau-giang-2022.yaml").read_text(encoding="utf-8")
    shutil.copytree(ROOT / "rubrics" / "sources", tmp_path / "sources")

    def nav_for(count: int) -> list[Any]:
        for old in tmp_path.glob("*.yaml"):
            old.unlink()
        for number in range(count):
            text = source.replace('id: "hau-giang-2022"', f'id: "r-{number:02d}"')
            text = text.replace('province: "Hậu Giang"', f'province: "Tỉnh <{number % 3}>"')
            (tmp_path / f"r-{number:02d}.yaml").write_text(text, encoding="utf-8")
        return pages.build_site(tmp_path, ROOT / "site_src", FRAGMENTS).nav[2:-1]

    flat = nav_for(pages.NAV_GROUP_ABOVE)
    assert len(flat) == pages.NAV_GROUP_ABOVE
    assert all(next(iter(e.values()))[0].endswith("/index.md") for e in flat)
    grouped = nav_for(pages.NAV_GROUP_ABOVE + 1)
    assert [next(iter(e)) for e in grouped] == [
        "Tỉnh &lt;0&gt;",
        "Tỉnh &lt;1&gt;",
        "Tỉnh &lt;2&gt;",
    ]
    sizes = [len(next(iter(e.values()))) for e in grouped]
    assert sizes == [7, 7, 7]
    first = next(iter(grouped[0].values()))
    assert [next(iter(e.values()))[0] for e in first][:2] == ["r-00/index.md", "r-03/index.md"]


def test_overview_shows_what_the_source_leaves_unstated(generated: pages.Site) -> None:
    """The source gaps come first, in a warning box; missing bands are said plainly."""
    page = next(p for p in generated.pages if p.src_uri == "hung-yen-2020/index.md").content
    box = page.index('!!! warning "Những điều văn bản nguồn không nêu"')
    assert box < page.index("## Căn cứ pháp lý")
    assert "**Văn bản nguồn không quy định mức xếp loại.**" in page
    assert "| VIII | [Thực hiện dân chủ" in page


def test_worked_example_is_scored_by_scoring_py(generated: pages.Site) -> None:
    """The example table's total is the engine's total for the same answers."""
    page = next(p for p in generated.pages if p.src_uri == "hau-giang-2022/cach-tinh-diem.md")
    worked = example.worked_example(load_file(ROOT / "rubrics" / "hau-giang-2022.yaml"))
    total = markup.vn_number(worked.result["total"])
    assert f"**Tổng điểm cuối cùng:** **{total}** / 100 điểm." in page.content
    assert worked.band is not None
    assert f"**Xếp loại:** **{worked.band.name}**" in page.content


def test_summary_page_has_the_commands_columns_and_is_linked(generated: pages.Site) -> None:
    """Each rubric's summary page has the units' table that scoring_py.tables draws (its head
    is filled from the answer, as the CSV is), and is linked from the rubric's overview and
    the navigation."""
    pages = {p.src_uri: p.content for p in generated.pages}
    for path in sorted((ROOT / "rubrics").glob("*.yaml")):
        base = load_file(path).id
        page = pages[f"{base}/{fragments.SUMMARY_PAGE}.md"]
        assert page.startswith("---\ntemplate: tong-hop.html\n")
        for name in ("units", "bands", "types", "review", "rejected"):
            assert f'<tbody data-rows="{name}"></tbody>' in page
        assert "<thead data-units-head></thead>" in page
        assert 'type="file" id="th-files" multiple' in page
        assert '<label for="th-files"' in page
        assert f'data-rubric-id="{base}"' in page
        assert "[Tổng hợp kết quả](tong-hop.md)" in pages[f"{base}/index.md"]
        section = next(entry for entry in generated.nav if base + "/index.md" in json.dumps(entry))
        assert {"Tổng hợp kết quả": f"{base}/tong-hop.md"} in next(iter(section.values()))


def test_the_start_pages_show_each_screenshot_once_with_its_alt_text(
    generated: pages.Site,
) -> None:
    """Every picture of starting.SHOTS is shown by one "Bắt đầu" page, with its alt text;
    each page says where the deadlines are (each rubric's workflow), and the home page links
    every role's page."""
    content = {p.src_uri: p.content for p in generated.pages}
    shown = []
    for role in starting.ROLES:
        page = content[role.src_uri]
        images = re.findall(r"!\[([^\]]*)\]\(anh/([a-z-]+)\.png\)", page)
        assert images, role.src_uri
        for alt, name in images:
            assert alt == markup.md_escape(starting.SHOTS[name]), name
        shown += [name for _, name in images]
        for path in sorted((ROOT / "rubrics").glob("*.yaml")):
            assert f"(../{path.stem}/index.md#quy-trinh)" in page, (role.src_uri, path.stem)
        assert f"]({role.src_uri})" in content["index.md"]
    assert sorted(shown) == sorted(starting.SHOTS)


def test_every_image_of_the_start_pages_is_in_the_build(built: Path) -> None:
    """Each <img> of the built "Bắt đầu" pages is a PNG of the build with a Vietnamese alt
    text, and every screenshot is shown."""
    shown = set()
    for role in starting.ROLES:
        page = built / starting.FOLDER / role.slug / "index.html"
        images = re.findall(r"<img ([^>]*)>", page.read_text(encoding="utf-8"))
        assert images, page
        for attributes in images:
            values = dict(re.findall(r'([a-z-]+)="([^"]*)"', attributes))
            target = target_file(built, urljoin(f"/{starting.FOLDER}/{role.slug}/", values["src"]))
            assert target.is_file() and target.read_bytes()[:4] == b"\x89PNG", target
            assert html.unescape(values["alt"]) == starting.SHOTS[target.stem], target
            shown.add(target.stem)
    assert shown == set(starting.SHOTS)


def test_the_start_pages_quote_only_what_the_site_shows(generated: pages.Site, built: Path) -> None:
    """Every “quoted” label or message of the "Bắt đầu" pages (and their alt texts) is written
    by the rubrics' pages or by the scripts that fill them (an ellipsis stands for what varies),
    so a renamed button cannot leave the steps naming the old one."""
    uris = [p.src_uri for p in generated.pages if not p.src_uri.startswith(starting.FOLDER)]
    paths = [target_file(built, uri.removesuffix("index.md").removesuffix(".md")) for uri in uris]
    words = [html.unescape(path.read_text(encoding="utf-8")) for path in paths]
    scripts = sorted((ROOT / "site_src" / "javascripts").rglob("*.mjs"))
    words += [path.read_text(encoding="utf-8") for path in scripts]
    shown = " ".join(" ".join(text.split()) for text in words)
    content = {p.src_uri: p.content for p in generated.pages}
    missing = []
    for role in starting.ROLES:
        for quoted in re.findall(r"“([^”]+)”", content[role.src_uri]):
            parts = [" ".join(part.split()) for part in quoted.split("…")]
            if not all(part in shown for part in parts if part.strip()):
                missing.append(f"{role.src_uri}: “{quoted}”")
    assert missing == []


def test_summary_pages_run_only_module_scripts(built: Path) -> None:
    """The summary pages load their module from this site; their content has no script but
    the contract's JSON."""
    for path in sorted((ROOT / "rubrics").glob("*.yaml")):
        folder = built / load_file(path).id / fragments.SUMMARY_PAGE
        page = (folder / "index.html").read_text("utf-8")
        assert '<script type="module" src="../../javascripts/tong-hop/main.mjs">' in page
        article = page[page.index("<article") : page.index("</article>")]
        assert 'id="th-files"' in article
        data = '<script type="application/json" id="td-contract">'
        assert article.count(data) == 1
        assert "<script" not in article.replace("<noscript", "").replace(data, "")
        assert (built / "javascripts" / "tong-hop" / "main.mjs").is_file()
        assert (built / "stylesheets" / "tong-hop.css").is_file()


# --------------------------------------------------------------------------------------------
# The real MkDocs build


def project_with(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    rubrics: dict[str, str],
    sources: dict[str, str],
) -> Path:
    """The project's mkdocs.yml, set (THANGDIEM_RUBRICS) to build tmp_path/rubrics: other
    rubrics and source texts."""
    (tmp_path / "rubrics" / "sources").mkdir(parents=True)
    for name, text in rubrics.items():
        (tmp_path / "rubrics" / name).write_text(text, encoding="utf-8")
    for name, text in sources.items():
        (tmp_path / "rubrics" / "sources" / name).write_text(text, encoding="utf-8")
    monkeypatch.setenv("THANGDIEM_RUBRICS", str(tmp_path / "rubrics"))
    return ROOT / "mkdocs.yml"


class _Scan(HTMLParser):
    """Collects the ids and the URL references of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v for k, v in attrs if v is not None}
        if "id" in values:
            self.ids.add(values["id"])
        for key in ("href", "src", "data", "poster", "action"):
            if key in values:
                self.refs.append((tag, key, values[key]))
        for part in values.get("srcset", "").split(","):
            if part.strip():
                self.refs.append((tag, "srcset", part.split()[0]))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def scan(path: Path) -> _Scan:
    """Parse one built page."""
    parser = _Scan()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def target_file(site_dir: Path, url_path: str) -> Path:
    """The file a site-relative URL path is served from."""
    path = site_dir / unquote(url_path).lstrip("/")
    return path / "index.html" if url_path.endswith("/") or path.is_dir() else path


def test_the_build_writes_every_page_and_file(built: Path) -> None:
    """Pages, the rubrics' JSON and sources, the schema and the example are all published."""
    for rubric_path in sorted((ROOT / "rubrics").glob("*.yaml")):
        rubric = load_file(rubric_path)
        base = built / rubric.id
        assert (base / "index.html").is_file()
        assert (base / "cach-tinh-diem" / "index.html").is_file()
        assert (base / "cham-diem" / "index.html").is_file()
        assert (base / "tong-hop" / "index.html").is_file()
        assert (base / "van-ban-nguon" / "index.html").is_file()
        for crit in rubric.criteria:
            assert (base / f"tieu-chi-{crit.id}" / "index.html").is_file()
        assert (base / "rubric.json").read_text(encoding="utf-8") == canonical_json(rubric) + "\n"
        assert (base / "nguon.txt").is_file()
    schema = json.loads((built / "schema" / "rubric.schema.json").read_text(encoding="utf-8"))
    assert schema == json.loads(codec.dumps(rubric_schema()))
    assert (built / pages.EXAMPLE).read_bytes() == EXAMPLE.read_bytes()
    assert not (built / "overrides").exists()
    assert list((ROOT / "site_src").rglob("*.md")) == [], "pages are generated in memory only"


def test_every_page_is_vietnamese_and_prints(built: Path) -> None:
    """Each page says lang="vi", loads the print stylesheet and names the site."""
    for page in built.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert '<html lang="vi"' in text, page
        assert re.search(
            r'<link rel="stylesheet" href="[./]*stylesheets/print.css" media="print">', text
        ), page
        assert "Thang điểm dân vận chính quyền" in text, page
        assert "Initializing search" not in text, page


def test_links_resolve_and_no_asset_comes_from_elsewhere(built: Path) -> None:
    """Every internal href/src resolves to a built file (and anchor); assets are all local."""
    pages = {p: scan(p) for p in built.rglob("*.html")}
    problems = []
    for page, parsed in pages.items():
        page_url = "/" + page.relative_to(built).as_posix()
        for tag, key, ref in parsed.refs:
            parts = urlsplit(ref)
            if parts.scheme in ("http", "https") or ref.startswith("//"):
                if tag != "a":
                    problems.append(f"{page_url}: {tag} {key}={ref} loads from another host")
                continue
            if parts.scheme in ("mailto", "data"):
                continue
            assert parts.scheme == "", f"{page_url}: {ref}"
            if ref.startswith("/"):
                if page.name == "404.html":  # served at any depth: site-root paths are right
                    continue
                problems.append(f"{page_url}: {ref} is absolute (breaks under a subpath)")
                continue
            resolved = urlsplit(urljoin(page_url, ref))
            target = target_file(built, resolved.path)
            if not target.is_file():
                problems.append(f"{page_url}: {ref} → {target} missing")
            elif resolved.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else scan(target).ids
                if unquote(resolved.fragment) not in ids:
                    problems.append(f"{page_url}: {ref} anchor missing")
    for css in built.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8")):
            if re.match(r"(https?:)?//", url):
                problems.append(f"{css}: url({url}) loads from another host")
        if re.search(r"@import\s+(url\()?['\"]?(https?:)?//", css.read_text(encoding="utf-8")):
            problems.append(f"{css}: @import from another host")
    assert problems == []


def test_guide_pages_load_no_pyodide(built: Path) -> None:
    """The guide stays light: only the scoring and summary pages start the worker and name
    Pyodide's folder (one folder)."""
    for page in built.rglob("*.html"):
        text = page.read_text(encoding="utf-8").lower()
        if page.parent.name in (fragments.FORM_PAGE, fragments.SUMMARY_PAGE):
            assert "javascripts/python/boot.mjs" in text, page
            continue
        assert "pyodide" not in text, page
        assert "javascripts/cham-diem/" not in text, page
    assets = built / "assets" / "pyodide"
    assert assets.is_dir()
    found = {p.relative_to(built).as_posix() for p in built.rglob("*") if "pyodide" in p.name}
    assert found and all(p.startswith("assets/pyodide") for p in found), found


def test_search_index_has_folded_text(built: Path) -> None:
    """Each search entry with accents also carries its accent-folded title and text."""
    index = json.loads((built / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["vi"]
    assert set(search.FOLDED_FIELDS) <= set(index["config"]["fields"])
    entries = {d["location"]: d for d in index["docs"]}
    page = entries["hung-yen-2020/tieu-chi-4/"]
    assert "tiep cong dan" in page["folded_title"].lower()
    assert "tiếp công dân" in page["title"].lower()
    for doc in index["docs"]:
        if "folded_text" in doc:
            assert doc["folded_text"] == search.fold(doc["text"])
            assert len(doc["folded_text"]) == len(doc["text"])


def test_the_highlighting_folds_as_the_index_does(built: Path) -> None:
    """search/fold.json holds the index's separator and a fold for each letter of the index
    that, applied letter by letter, gives the folded text the index holds."""
    index = json.loads((built / "search" / "search_index.json").read_text(encoding="utf-8"))
    highlighting = json.loads((built / "search" / "fold.json").read_text(encoding="utf-8"))
    assert highlighting["separator"] == index["config"]["separator"]
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))
    assert highlighting["separator"] == config["plugins"][0]["search"]["separator"]
    table = highlighting["fold"]
    for doc in index["docs"]:
        for name in ("title", "text"):
            if f"folded_{name}" in doc:
                by_letter = "".join(table.get(char, char) for char in doc[name])
                assert by_letter == doc[f"folded_{name}"], doc["location"]


def test_rubric_text_is_escaped_in_the_built_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HTML and Markdown in a rubric's text show literally on every generated page."""
    data: dict[str, Any] = yaml.safe_load(
        (ROOT / "rubrics" / "hau-giang-2022.yaml").read_text(encoding="utf-8")
    )
    data = copy.deepcopy(data)
    data["id"] = "thu-nghiem"
    data["title"] = "Tiêu đề " + NASTY
    data["scope"] = NASTY
    data["legal"]["source"] = "nguon.txt"
    data["legal"]["title"] = NASTY
    data["criteria"][0]["title"] = NASTY
    data["criteria"][0]["guidance"] = [NASTY, "+ " + NASTY]
    data["criteria"][0]["report_help"] = NASTY
    data["criteria"][0]["items"][0]["text"] = NASTY
    data["criteria"][0]["items"][0]["note"] = NASTY
    data["bands"][0]["note"] = NASTY
    data["source_gaps"] = [NASTY]
    data["workflow"][0]["text"] = NASTY
    data["references"] = [NASTY]
    config = project_with(
        monkeypatch,
        tmp_path,
        {"thu-nghiem.yaml": yaml.safe_dump(data, allow_unicode=True)},
        {"nguon.txt": "Dòng một\n" + NASTY + "\n</pre><b>đậm</b>\n"},
    )
    result = run_mkdocs(config, tmp_path / "site", tmp_path)
    assert result.returncode == 0, result.stderr
    pages = list((tmp_path / "site" / "thu-nghiem").rglob("index.html"))
    assert len(pages) == 6
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text, page
        assert 'href="http://x"' not in text, page
        assert "<b>đậm</b>" not in text, page
        assert "<strong>đậm</strong>" not in text and "<em>nghiêng</em>" not in text, page
        assert "&lt;script&gt;alert(1)&lt;/script&gt; **đậm** [liên kết](http://x)" in text, page
    source_page = (tmp_path / "site" / "thu-nghiem" / "van-ban-nguon" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "&lt;/pre&gt;&lt;b&gt;đậm&lt;/b&gt;" in source_page


def test_a_bad_rubric_stops_the_build_with_the_loaders_messages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build fails on a rubric with errors and prints exactly what `thangdiem check` says."""
    good = (ROOT / "rubrics" / "bac-kan-2017.yaml").read_text(encoding="utf-8")
    bad = good.replace('kind: "score"', 'kind: "scroe"')
    assert bad != good
    config = project_with(monkeypatch, tmp_path, {"bac-kan-2017.yaml": bad}, {})
    result = run_mkdocs(config, tmp_path / "site", tmp_path)
    assert result.returncode != 0
    with pytest.raises(RubricFileError) as caught:
        load_text(bad, "rubrics/bac-kan-2017.yaml", expected_id="bac-kan-2017")
    messages = str(caught.value).splitlines()
    assert len(messages) >= 2
    for message in messages:
        assert message in result.stderr
    assert "Không dựng được trang" in result.stdout + result.stderr
    assert not (tmp_path / "site" / "index.html").exists()


class _Labels(HTMLParser):
    """Collects the aria-label of the footer's links, as a screen reader reads them."""

    def __init__(self) -> None:
        super().__init__()
        self.labels: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and "md-footer__link" in (found.get("class") or ""):
            self.labels.append(found.get("aria-label") or "")


def test_footer_links_say_titles_once_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A title with "&" and "<" is read by a screen reader as written in the footer's
    previous/next links, not as "&amp;" (the navigation titles are escaped once already)."""
    data: dict[str, Any] = yaml.safe_load(
        (ROOT / "rubrics" / "hau-giang-2022.yaml").read_text(encoding="utf-8")
    )
    data["id"] = "thu-nghiem"
    data["criteria"][0]["title"] = 'Dân vận & <chính quyền> "mới"'
    config = project_with(
        monkeypatch, tmp_path, {"thu-nghiem.yaml": yaml.safe_dump(data, allow_unicode=True)}, {}
    )
    result = run_mkdocs(config, tmp_path / "site", tmp_path)
    assert result.returncode == 0, result.stderr
    labels: list[str] = []
    for name in ("index.html", "tieu-chi-1/index.html", "cach-tinh-diem/index.html"):
        scan = _Labels()
        scan.feed((tmp_path / "site" / "thu-nghiem" / name).read_text(encoding="utf-8"))
        labels += scan.labels
    title = 'I. Dân vận & <chính quyền> "mới"'
    assert f"Sau: {title}" in labels and f"Trước: {title}" in labels, labels
    assert not any("&amp;" in label or "&lt;" in label for label in labels), labels


def test_a_linked_source_text_stops_the_build_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A source text of rubrics/sources/ that is a symbolic link (to /proc/self/environ, to a
    key …) stops the build with the loader's message; its target is never read, published,
    precached or zipped."""
    secret = tmp_path / "ngoai.txt"
    secret.write_text("MAT_KHAU=bi-mat-cua-may-dung\n", encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(
        (ROOT / "rubrics" / "hau-giang-2022.yaml").read_text(encoding="utf-8")
    )
    data["legal"]["source"] = "nguon.txt"
    config = project_with(
        monkeypatch, tmp_path, {"hau-giang-2022.yaml": yaml.safe_dump(data, allow_unicode=True)}, {}
    )
    (tmp_path / "rubrics" / "sources" / "nguon.txt").symlink_to(secret)
    result = run_mkdocs(config, tmp_path / "site", tmp_path)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "legal.source: tệp nguồn 'sources/nguon.txt' là một liên kết tượng trưng" in output
    assert "bi-mat" not in output
    site_dir = tmp_path / "site"
    if site_dir.exists():
        for path in site_dir.rglob("*"):
            assert not path.is_file() or b"bi-mat" not in path.read_bytes(), path


def test_the_built_site_has_no_live_reload(built: Path) -> None:
    """The live-reload poller is served under `mkdocs serve` only (e2e/test_serve.py): the
    built site has neither the file nor a tag loading it, and links to its zip."""
    assert not (built / "javascripts" / "livereload.js").exists()
    for page in built.rglob("*.html"):
        assert "livereload" not in page.read_text(encoding="utf-8"), page
    assert 'href="thangdiem.zip"' in (built / "index.html").read_text(encoding="utf-8")


def test_levels_are_named_by_their_place_on_screen_and_by_the_sources_numbering_on_paper(
    built: Path,
) -> None:
    """A level reads "Mức k" on the form (k: its place in the item), and the printout's row
    "<item's number>.k", the source's own numbering; no form label reads like an item's id, as
    "Mức 4.4.2" did beside the printout's "4.2" (which is also an item's id)."""
    seen = 0
    for path in sorted((ROOT / "rubrics").glob("*.yaml")):
        rubric = load_file(path)
        page = (built / rubric.id / "cham-diem" / "index.html").read_text("utf-8")
        item_ids = {item.id for criterion in rubric.criteria for item in criterion.items}
        choices = [i for c in rubric.criteria for i in c.items if i.kind == "choice"]
        seen += len(choices)
        for item in choices:
            for place, level in enumerate(item.levels, start=1):
                radio = re.search(
                    rf'name="self:{re.escape(item.id)}" value="{re.escape(level.id)}"> ([^<(]+)',
                    page,
                )
                assert radio is not None, (rubric.id, level.id)
                assert radio.group(1).strip() == f"Mức {place}"
                row = re.search(
                    rf'data-print-row="item:{re.escape(item.id)}">\s*<td>([^<]+)</td>', page
                )
                assert row is not None, (rubric.id, item.id)
                level_row = re.search(
                    rf'data-print-row="level:{re.escape(level.id)}">\s*<td>([^<]+)</td>', page
                )
                assert level_row is not None, (rubric.id, level.id)
                assert level_row.group(1) == f"{row.group(1)}.{place}"
        labels = set(re.findall(r'class="td-radio"><input [^>]*> Mức ([^ <(]+)', page))
        assert not labels & item_ids, (rubric.id, labels & item_ids)
    assert seen >= 3
