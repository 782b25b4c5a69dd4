"""The scoring pages (<rubric-id>/cham-diem/): the form's HTML and naming convention, the
runtime they load (Pyodide copied from node_modules, the scoring_py wheel), and what the
page's scripts may not do. The pure parts of those scripts are tested under Node.js beside
them (site_src/javascripts/**/*.test.mjs, `make jsunit`).

The form's HTML is also in the golden files (tests/golden/<rubric>/cham-diem.md); these tests
check its structure for every rubric, including the annotated example, which uses every kind
of item.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from generator import assets, pages
from generator.loader import load_file
from generator.pages import fragments, markup
from scoring_py import codec, document, shapes
from scoring_py.model import Rubric
from scoring_py.problems import RubricError
from scoring_py.rubric import canonical_json, load_rubric_json

ROOT = Path(__file__).resolve().parent.parent
FRAGMENTS = ROOT / "site_src" / "overrides" / "fragments"
SCRIPTS = ROOT / "site_src" / "javascripts" / "cham-diem"


def rubrics() -> list[Rubric]:
    """The bundled rubrics and the annotated example of the authors' guide."""
    paths = sorted((ROOT / "rubrics").glob("*.yaml"))
    return [load_file(p) for p in [*paths, ROOT / "site_src" / pages.EXAMPLE]]


# --------------------------------------------------------------------------------------------
# The form's HTML


@dataclass
class Control:
    """One form control."""

    tag: str
    attrs: dict[str, str]
    labelled_by_wrapper: bool


class FormScan(HTMLParser):
    """Controls, labels, ids, data attributes and scripts of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.controls: list[Control] = []
        self.label_for: set[str] = set()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self._labels = 0
        self._script: dict[str, str] | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.elements.append((tag, values))
        if tag == "label":
            self._labels += 1
            if "for" in values:
                self.label_for.add(values["for"])
        if tag in ("input", "select", "textarea"):
            self.controls.append(Control(tag, values, self._labels > 0))
        if tag == "script":
            self._script, self._script_text = values, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._labels -= 1
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._script_text)))
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_text.append(data)

    def named(self, name: str) -> list[Control]:
        """The controls with this name."""
        return [c for c in self.controls if c.attrs.get("name") == name]

    def with_attr(self, name: str, value: str) -> list[dict[str, str]]:
        """The elements whose attribute `name` is `value`."""
        return [a for _, a in self.elements if a.get(name) == value]


def scan_form(rubric: Rubric) -> FormScan:
    """Render a rubric's form and parse it."""
    html_text = fragments.scoring_form(fragments.environment(FRAGMENTS), rubric)
    parsed = FormScan()
    parsed.feed(str(html_text))
    parsed.close()
    return parsed


@pytest.mark.parametrize("rubric", rubrics(), ids=lambda r: r.id)
def test_every_answer_input_is_named_by_the_convention(rubric: Rubric) -> None:
    """Per item and stage, the inputs are named <stage>:<item-id> and typed by the item's kind."""
    form = scan_form(rubric)
    expected_names = {"unit:name", "unit:year", "proposed_band"}
    expected_names |= {f"paper:{key}" for key in shapes.PAPER_KEYS}  # one field per text
    if rubric.unit_types:
        expected_names.add("unit:type")
    for crit in rubric.criteria:
        expected_names |= {f"report:{crit.id}:done_well", f"report:{crit.id}:shortcomings"}
        for item in crit.items:
            expected_names |= {f"evidence:{item.id}:documents", f"evidence:{item.id}:explanation"}
            if item.given_by == "unit":  # the team's comment, the unit's answer to it
                expected_names |= {f"review:{item.id}:comment", f"review:{item.id}:explanation"}
            for stage in document.STAGES:
                base = f"{stage}:{item.id}"
                if stage == "self" and item.given_by != "unit":
                    assert not [c for c in form.controls if c.attrs.get("name", "") == base]
                    assert not form.named(f"{base}:numerator")
                    continue
                if item.kind in ("choice", "yesno"):
                    radios = form.named(base)
                    assert {c.attrs["type"] for c in radios} == {"radio"}
                    values = [c.attrs["value"] for c in radios]
                    if item.kind == "choice":
                        levels = [level.id for level in item.levels]
                    else:
                        levels = ["true", "false"]
                    extra = ["na"] if item.may_be_not_applicable else []
                    assert values == ["", *levels, *extra]
                    assert [c.attrs["value"] for c in radios if "checked" in c.attrs] == [""]
                    expected_names.add(base)
                    continue
                if item.kind == "ratio":
                    parts = [f"{base}:numerator", f"{base}:denominator"]
                else:
                    parts = [base]
                mode = "decimal" if item.kind == "score" else "numeric"
                for name in parts:
                    (control,) = form.named(name)
                    assert control.tag == "input"
                    assert control.attrs["type"] == "text"
                    assert control.attrs["inputmode"] == mode
                expected_names |= set(parts)
                if item.may_be_not_applicable:
                    (box,) = form.named(f"{base}:na")
                    assert box.attrs["type"] == "checkbox" and box.attrs["value"] == "na"
                    expected_names.add(f"{base}:na")
    for ovr in (o for o in rubric.overrides if o.when is None):  # a rule is asked of nobody
        for stage in document.STAGES:
            name = f"{stage}:condition:{ovr.id}"
            assert [c.attrs["value"] for c in form.named(name)] == ["", "true", "false"]
            expected_names |= {name, f"{name}:note"}
    names = [c.attrs["name"] for c in form.controls if "name" in c.attrs]
    assert set(names) == expected_names
    unnamed = [c for c in form.controls if "name" not in c.attrs]
    # Besides the import and the mode, one file picker per item: attached files are no answer.
    pickers = [c.attrs.get("data-attach-input") for c in unnamed if "data-attach-input" in c.attrs]
    assert pickers == [i.id for c in rubric.criteria for i in c.items]
    others = [c.attrs.get("id") for c in unnamed if "data-attach-input" not in c.attrs]
    assert others == ["td-import-file", "td-appraisal-mode", "td-review-by"]


@pytest.mark.parametrize("rubric", rubrics(), ids=lambda r: r.id)
def test_results_have_their_hooks(rubric: Rubric) -> None:
    """Totals, bands, reasons, subtotals per stage and criterion, problems per item."""
    form = scan_form(rubric)
    for stage in shapes.RESULT_STAGES:
        for hook in ("data-total", "data-band", "data-reasons", "data-max"):
            assert len(form.with_attr(hook, stage)) == 1, (hook, stage)
        for crit in rubric.criteria:
            assert len(form.with_attr("data-subtotal", f"{stage}:{crit.id}")) == 1
    for crit in rubric.criteria:
        for item in crit.items:
            assert len(form.with_attr("data-problems", item.id)) == 1
            (element,) = form.with_attr("data-item", item.id)
            assert element["data-kind"] == item.kind
            assert element["data-given-by"] == item.given_by


@pytest.mark.parametrize("rubric", rubrics(), ids=lambda r: r.id)
def test_every_control_has_a_label(rubric: Rubric) -> None:
    """Each control is inside a <label> or named by a <label for>; ids are unique."""
    form = scan_form(rubric)
    ids = [a["id"] for _, a in form.elements if "id" in a]
    assert len(ids) == len(set(ids))
    for control in form.controls:
        assert control.labelled_by_wrapper or control.attrs.get("id") in form.label_for, control
    assert form.label_for <= set(ids)
    for _, attrs in form.elements:
        for target in attrs.get("aria-describedby", "").split():
            assert target in ids, target


@pytest.mark.parametrize("rubric", rubrics(), ids=lambda r: r.id)
def test_the_embedded_template_is_the_rubrics_empty_document(rubric: Rubric) -> None:
    """The page embeds api.template's document (escaped, in reading order), the contract and
    the names of the site's rubrics (none here: the form is made alone)."""
    form = scan_form(rubric)
    (template,) = [text for attrs, text in form.scripts if attrs.get("id") == "template"]
    (contract,) = [text for attrs, text in form.scripts if attrs.get("id") == "td-contract"]
    (names,) = [text for attrs, text in form.scripts if attrs.get("id") == "td-rubrics"]
    assert [attrs.get("type") for attrs, _ in form.scripts] == ["application/json"] * 3
    assert json.loads(names) == {}
    assert codec.loads(template) == document.template(rubric)
    assert list(json.loads(template)) == list(shapes.TOP_KEYS)  # the order the export keeps
    assert json.loads(contract) == shapes.contract()
    assert "<" not in template and ">" not in template and "&" not in template


def test_script_json_escapes_what_could_end_the_script() -> None:
    """Text that could close the <script> element is written as JSON escapes."""
    text = json.dumps({"a": "</script><!-- & \u2028 \\u003c"}, ensure_ascii=False)
    escaped = str(markup.script_json(text))
    assert "<" not in escaped and ">" not in escaped and "&" not in escaped
    assert "\u2028" not in escaped
    assert json.loads(escaped) == json.loads(text)


def test_rubric_text_in_the_form_is_escaped() -> None:
    """Item texts with HTML show as text in the form."""
    rubric = load_file(ROOT / "rubrics" / "hau-giang-2022.yaml")
    data = json.loads(canonical_json(rubric))
    data["criteria"][0]["items"][0]["text"] = '<img src=x onerror="alert(1)"> **đậm**'
    data["criteria"][0]["title"] = "</textarea><script>alert(1)</script>"
    nasty = load_rubric_json(json.dumps(data))
    html_text = str(fragments.scoring_form(fragments.environment(FRAGMENTS), nasty))
    assert "<img" not in html_text and "<script>alert" not in html_text
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; **đậm**" in html_text
    assert "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html_text


# --------------------------------------------------------------------------------------------
# The built site


def page_form(built: Path, rubric_id: str) -> tuple[FormScan, str]:
    """The parsed scoring page of a rubric, and its text."""
    text = (built / rubric_id / fragments.FORM_PAGE / "index.html").read_text(encoding="utf-8")
    parsed = FormScan()
    parsed.feed(text)
    parsed.close()
    return parsed, text


@pytest.mark.parametrize("rubric_id", ["hung-yen-2020", "hau-giang-2022", "bac-kan-2017"])
def test_the_built_scoring_page_loads_its_module_and_runtime(built: Path, rubric_id: str) -> None:
    """The page starts its worker first: start.js, a classic script right after the policy and
    before any stylesheet, whose data-worker reaches worker.mjs and data-rubric the rubric;
    then its ES modules: boot.mjs, async in <head> (its import preloaded); the site's
    search-fold.mjs and offline.mjs (on every page); then main.mjs.
    Its data-pyodide and data-wheel reach Pyodide and the wheel."""
    parsed, text = page_form(built, rubric_id)
    page_url = f"/{rubric_id}/{fragments.FORM_PAGE}/"
    modules = [(a["src"], "async" in a) for a, _ in parsed.scripts if a.get("type") == "module"]
    assert modules == [
        ("../../javascripts/python/boot.mjs", True),
        ("../../javascripts/search-fold.mjs", False),
        ("../../javascripts/offline.mjs", False),
        ("../../javascripts/cham-diem/main.mjs", False),
    ]
    head = text[: text.index("</head>")]
    preload = '<link rel="modulepreload" href="../../javascripts/python/scorer.mjs">'
    assert head.index(preload) < head.index("python/boot.mjs")
    (boot,) = parsed.with_attr("data-scorer", "")
    assert boot["src"] == "../../javascripts/python/start.js" and "async" not in boot
    first = head.index('<script src="../../javascripts/python/start.js"')
    assert head.index('http-equiv="Content-Security-Policy"') < first
    assert first < head.index('rel="stylesheet"') and first < head.index("<script type=")
    worker = built / urlsplit(urljoin(page_url, boot["data-worker"])).path.lstrip("/")
    assert worker == built / "javascripts" / "python" / "worker.mjs"
    rubric_json = built / urlsplit(urljoin(page_url, boot["data-rubric"])).path.lstrip("/")
    assert rubric_json == built / rubric_id / "rubric.json"
    assert boot["data-pyodide"].endswith("/")
    runtime_dir = built / urlsplit(urljoin(page_url, boot["data-pyodide"])).path.lstrip("/")
    for name in assets.PYODIDE_FILES:
        assert (runtime_dir / name).is_file(), name
    wheel = built / urlsplit(urljoin(page_url, boot["data-wheel"])).path.lstrip("/")
    assert wheel.is_file()
    assert wheel.name == assets.describe().wheel_name
    xlsx = built / urlsplit(urljoin(page_url, boot["data-xlsxwriter"])).path.lstrip("/")
    assert xlsx.is_file() and xlsx.name == assets.describe().xlsx_wheel_name
    assert "stylesheets/cham-diem.css" in text
    assert not any(name.startswith("on") for _, a in parsed.elements for name in a), "handler"


def test_the_copied_pyodide_is_the_pinned_version(built: Path) -> None:
    """assets/pyodide/<version>/ holds node_modules/pyodide's files, at package.json's pin."""
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"][
        "pyodide"
    ]
    installed = json.loads(
        (ROOT / "node_modules" / "pyodide" / "package.json").read_text(encoding="utf-8")
    )["version"]
    assert installed == pinned
    folders = list((built / "assets" / "pyodide").iterdir())
    assert [f.name for f in folders] == [pinned]
    copied = sorted(p.name for p in folders[0].iterdir())
    assert copied == sorted(assets.PYODIDE_FILES)
    for name in copied:
        source = ROOT / "node_modules" / "pyodide" / name
        assert (folders[0] / name).read_bytes() == source.read_bytes(), name
    assert '"version": "' + pinned in (ROOT / "package-lock.json").read_text(encoding="utf-8")


def test_the_published_wheel_is_pure_and_holds_only_scoring_py(built: Path) -> None:
    """A py3-none-any wheel with scoring_py's modules as bytecode (compiled by Pyodide,
    generator/stdlib.py) and its metadata, nothing else."""
    version = assets.project_version()
    wheels = [p for p in (built / "assets").iterdir() if p.name.startswith("scoring_py")]
    assert [w.name for w in wheels] == [f"scoring_py-{version}-py3-none-any.whl"]
    with zipfile.ZipFile(io.BytesIO(wheels[0].read_bytes())) as archive:
        names = archive.namelist()
        info = f"scoring_py-{version}.dist-info"
        assert all(n.startswith(("scoring_py/", info + "/")) for n in names), names
        sources = sorted(p.name + "c" for p in (ROOT / "scoring_py").glob("*.py"))
        assert sorted(n.split("/")[1] for n in names if n.startswith("scoring_py/")) == sources
        for name in sources:
            # PEP 552 flags: hash-based, never checked against a source
            assert archive.read(f"scoring_py/{name}")[4:8] == b"\x01\0\0\0", name
        wheel_meta = archive.read(f"{info}/WHEEL").decode("utf-8")
        assert "Root-Is-Purelib: true" in wheel_meta
        assert "Tag: py3-none-any" in wheel_meta.splitlines()
        assert archive.read(f"{info}/top_level.txt").decode().split() == ["scoring_py"]


def test_the_wheel_build_is_reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two builds of the same sources give the same bytes (fixed file times)."""
    monkeypatch.setattr(assets, "_wheels", {})
    name, first = assets.build_wheel()
    monkeypatch.setattr(assets, "_wheels", {})
    again, second = assets.build_wheel()
    assert name == again
    assert hashlib.sha256(first).digest() == hashlib.sha256(second).digest()


# --------------------------------------------------------------------------------------------
# Missing or wrong runtime


NPM_PYODIDE = (*assets.PYODIDE_FILES, *assets.PYODIDE_INPUTS)
"""Every file the build needs from node_modules/pyodide (published or read)."""


def fake_project(tmp_path: Path, installed: str | None, files: tuple[str, ...]) -> Path:
    """A project folder with package.json and, optionally, a node_modules/pyodide."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "package.json").write_text(
        json.dumps({"dependencies": {"pyodide": "314.0.7"}}), encoding="utf-8"
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    if installed is not None:
        folder = tmp_path / "node_modules" / "pyodide"
        folder.mkdir(parents=True)
        (folder / "package.json").write_text(json.dumps({"version": installed}), "utf-8")
        for name in files:
            (folder / name).write_bytes(b"")
    return tmp_path


@pytest.mark.parametrize(
    ("installed", "files", "message"),
    [
        (None, (), "Thiếu Pyodide"),
        ("0.27.0", NPM_PYODIDE, "là phiên bản 0.27.0, nhưng package.json ghim 314.0.7"),
        ("314.0.7", NPM_PYODIDE[:-1], "thiếu tệp pyodide-lock.json"),
    ],
)
def test_a_missing_or_wrong_pyodide_is_refused(
    tmp_path: Path, installed: str | None, files: tuple[str, ...], message: str
) -> None:
    """Each case names what is wrong and tells to run `npm ci`."""
    project = fake_project(tmp_path, installed, files)
    with pytest.raises(assets.RuntimeFilesError) as caught:
        assets.pyodide_files(project)
    assert message in str(caught.value)
    assert "`npm ci`" in str(caught.value)
    complete = fake_project(tmp_path / "ok", "314.0.7", NPM_PYODIDE)
    assert set(assets.pyodide_files(complete)) == {
        f"assets/pyodide/314.0.7/{name}" for name in assets.PYODIDE_FILES
    }


def test_the_build_stops_without_node_modules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without node_modules the MkDocs build aborts with a Vietnamese message saying npm ci."""
    monkeypatch.setattr(assets, "PROJECT", fake_project(tmp_path, None, ()))
    config = load_config(str(ROOT / "mkdocs.yml"))
    hooks: dict[str, Any] = config["hooks"]  # the hook modules MkDocs loaded, by their path
    (hook,) = hooks.values()
    with pytest.raises(Abort) as caught:
        hook.on_config(config)
    assert "Không dựng được trang: Thiếu Pyodide" in str(caught.value)
    assert "`npm ci`" in str(caught.value)


# --------------------------------------------------------------------------------------------
# The page's JavaScript (its pure parts are tested under Node.js beside the modules:
# site_src/javascripts/**/*.test.mjs, `make jsunit`)


def test_the_scripts_are_modules_without_eval() -> None:
    """No eval, no new Function, no string timers; the worker is started as a module."""
    sources = {
        p.relative_to(SCRIPTS.parent).as_posix(): p.read_text(encoding="utf-8")
        for p in SCRIPTS.parent.rglob("*.mjs")
        if not p.name.endswith(".test.mjs")
    }
    assert {"python/worker.mjs", "python/scorer.mjs", "cham-diem/main.mjs"} <= set(sources)
    for name, text in sources.items():
        assert "eval(" not in text and "new Function" not in text, name
        assert "innerHTML" not in text and "insertAdjacentHTML" not in text, name
        assert 'setTimeout("' not in text, name
    assert (
        'new Worker(new URL("./worker.mjs", import.meta.url), { type: "module", name })'
        in (sources["python/scorer.mjs"])
    )
    assert "import micropip" not in sources["python/worker.mjs"]
    assert "loadPackage" not in sources["python/worker.mjs"]
    assert "pyodide.FS.writeFile(file, archive)" in sources["python/worker.mjs"]


def test_the_printouts_name_the_rubrics_subject_and_titles() -> None:
    """A CCHC index prints as a CCHC report: subject and titles come from the rubric, and the
    old rubrics (no such keys) print as before."""
    rubric = load_file(ROOT / "rubrics" / "hau-giang-2022.yaml")
    plain = str(fragments.scoring_form(fragments.environment(FRAGMENTS), rubric))
    assert "Tự đánh giá, xếp loại công tác dân vận chính quyền năm" in plain
    assert ">BẢNG CHẤM ĐIỂM</h1>" in plain and ">BÁO CÁO</h1>" in plain
    data = json.loads(canonical_json(rubric))
    data["subject"] = "công tác cải cách hành chính"
    data["table_title"] = "BẢNG TỰ ĐÁNH GIÁ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH"
    data["report_title"] = "BÁO CÁO <b>CCHC</b>"
    cchc = load_rubric_json(json.dumps(data))
    text = str(fragments.scoring_form(fragments.environment(FRAGMENTS), cchc))
    start = text.index('data-printout="table"')
    printouts = text[start:]
    for fixed in ("xếp loại công tác dân vận", "thực hiện công tác dân vận"):
        assert fixed not in printouts
    assert ">BẢNG TỰ ĐÁNH GIÁ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH</h1>" in printouts
    assert ">BÁO CÁO &lt;b&gt;CCHC&lt;/b&gt;</h1>" in printouts
    assert "Tổng số điểm thực hiện công tác cải cách hành chính:" in printouts
    assert "Kết quả thực hiện công tác cải cách hành chính năm" in printouts


def test_an_empty_printout_subject_is_refused() -> None:
    """The subject and titles must say something."""
    data = json.loads(canonical_json(load_file(ROOT / "rubrics" / "hau-giang-2022.yaml")))
    data["subject"] = " "
    with pytest.raises(RubricError) as info:
        load_rubric_json(json.dumps(data))
    assert str(info.value) == "subject: phải là một chuỗi khác rỗng (nhận được '')"
