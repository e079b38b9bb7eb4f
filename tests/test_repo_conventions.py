"""Repository conventions, checked across files (in the spirit of GOV.UK's all_components_spec).

Each test names the files that disagree, so a failure says exactly what to add where. They read
files only: no build, no network, well under a second.
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
GITHUB = ROOT / ".github"


class _MkDocsLoader(yaml.SafeLoader):
    """A safe loader that reads mkdocs.yml: ``!!python/...`` tags become None instead of errors."""


_MkDocsLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def load_mkdocs() -> dict:
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_MkDocsLoader)


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def project_languages() -> list[str]:
    return [lang["code"] for lang in load_yaml(ROOT / "wegweiser.yml")["languages"]]


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    return (yaml.safe_load(match.group(1)) or {}) if match else {}


def german_pages() -> list[Path]:
    """docs/<slug>.md without a language suffix: the German sources."""
    codes = set(project_languages())
    return sorted(p for p in DOCS.glob("*.md") if not (len(p.suffixes) == 2 and p.suffixes[0][1:] in codes))


def leaf_keys(data, prefix: str = "") -> set[str]:
    """Dotted paths of all leaves of nested mappings: labels.benefit, units.days.one, …"""
    if not isinstance(data, dict) or not data:
        return {prefix} if prefix else set()
    out: set[str] = set()
    for key, value in data.items():
        out |= leaf_keys(value, f"{prefix}.{key}" if prefix else str(key))
    return out


def nav_files(items) -> set[str]:
    """Every file named in a (nested) MkDocs nav."""
    out: set[str] = set()
    for item in items or []:
        if isinstance(item, str):
            out.add(item)
        elif isinstance(item, dict):
            for value in item.values():
                out |= nav_files(value) if isinstance(value, list) else {value} if isinstance(value, str) else set()
    return out


def i18n_plugin(config: dict) -> dict:
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "i18n" in plugin:
            return plugin["i18n"] or {}
    pytest.fail("mkdocs.yml: no i18n plugin under plugins:")


def markdown_section(text: str, heading: str) -> str:
    """The first ``## `` section whose heading contains ``heading``, up to the next ``## `` (not in code)."""
    lines, out, inside, fence = text.splitlines(), [], False, False
    for line in lines:
        if line.startswith("```"):
            fence = not fence
        elif not fence and line.startswith("## "):
            if inside:
                break
            inside = heading in line
            continue
        if inside:
            out.append(line)
    return "\n".join(out)


# --------------------------------------------------------------------------------------------
# Hooks, templates, languages, navigation
# --------------------------------------------------------------------------------------------


def test_every_hook_is_listed_in_mkdocs_yml():
    listed = {Path(h).as_posix() for h in load_mkdocs().get("hooks") or []}
    hooks = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "hooks").glob("*.py") if p.name != "_common.py")
    missing = [h for h in hooks if h not in listed]
    assert not missing, f"hooks/*.py not listed under 'hooks:' in mkdocs.yml (they never run in a build): {missing}"
    gone = sorted(h for h in listed if not (ROOT / h).exists())
    assert not gone, f"mkdocs.yml lists hooks that do not exist: {gone}"


def test_every_template_fragment_is_used():
    users = [*(ROOT / "wegweiser").glob("*.py"), *(ROOT / "overrides").glob("*.html")]
    text = "\n".join(p.read_text(encoding="utf-8") for p in users)
    templates = sorted((ROOT / "overrides" / "ww").glob("*.html"))
    assert templates, "overrides/ww/ has no templates"
    unused = [t.name for t in templates if t.name not in text and f"ww/{t.stem}" not in text]
    assert not unused, f"overrides/ww/ templates referenced nowhere in wegweiser/*.py or overrides/*.html: {unused}"


def test_every_language_has_all_interface_strings():
    german = leaf_keys(load_yaml(ROOT / "data" / "i18n" / "de.yml"))
    problems = []
    for code in project_languages():
        path = ROOT / "data" / "i18n" / f"{code}.yml"
        if not path.exists():
            problems.append(f"data/i18n/{code}.yml is missing")
            continue
        missing = sorted(german - leaf_keys(load_yaml(path)))
        if missing:
            problems.append(f"data/i18n/{code}.yml lacks {len(missing)} keys of de.yml: {', '.join(missing)}")
    assert not problems, "\n".join(problems)


def test_languages_match_the_i18n_plugin():
    ours = project_languages()
    plugin = i18n_plugin(load_mkdocs())
    theirs = [lang["locale"] for lang in plugin.get("languages") or []]
    assert set(ours) == set(theirs), f"wegweiser.yml languages {ours} differ from mkdocs.yml i18n languages {theirs}"
    assert len(theirs) == len(set(theirs)), f"mkdocs.yml lists a language twice: {theirs}"
    defaults = [lang["locale"] for lang in plugin["languages"] if lang.get("default")]
    assert defaults == [ours[0]], f"the i18n default language {defaults} must be the source language of wegweiser.yml ({ours[0]})"


def test_every_german_page_is_in_nav_or_not_in_nav():
    config = load_mkdocs()
    nav = nav_files(config.get("nav"))
    patterns = [line.strip() for line in str(config.get("not_in_nav") or "").splitlines() if line.strip() and not line.startswith("#")]
    problems = []
    for page in german_pages():
        if front_matter(page).get("kind") == "generated":
            continue
        name = page.name
        hidden = any(fnmatch.fnmatch(f"/{name}", p) or fnmatch.fnmatch(name, p.lstrip("/")) for p in patterns)
        if name not in nav and not hidden:
            problems.append(name)
    assert not problems, f"German pages neither in nav: nor in not_in_nav: of mkdocs.yml (readers cannot reach them): {problems}"
    stale = sorted(f for f in nav if not (DOCS / f).exists())
    assert not stale, f"mkdocs.yml nav names files that do not exist in docs/: {stale}"


# --------------------------------------------------------------------------------------------
# Documentation and templates for editors
# --------------------------------------------------------------------------------------------

EDITOR_COMMANDS = (
    "make check",
    "make serve ONLY=de",
    "make new-guide NAME=",
    "make stamp FILE=",
    "stamp --reviewed",
    "make build EDITION=",
)


def test_contributing_has_the_format_reference_and_both_languages():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "## Content format reference" in text, "CONTRIBUTING.md lost its 'Content format reference' section"
    german = markdown_section(text, "Einfache Sprache")
    english = markdown_section(text, "English")
    assert german, "CONTRIBUTING.md needs a '## … Einfache Sprache …' section in plain German"
    assert english, "CONTRIBUTING.md needs a '## … English …' section"
    assert " Sie " in german, "the German section addresses the reader as 'Sie'"
    for name, section in (("German", german), ("English", english)):
        missing = [c for c in EDITOR_COMMANDS if c not in section]
        assert not missing, f"CONTRIBUTING.md, {name} section, does not explain: {missing}"
        assert "readability:" in section and "exempt" in section, f"CONTRIBUTING.md, {name} section: no readability exemption syntax"


GITHUB_FILES = (
    "pull_request_template.md",
    "ISSUE_TEMPLATE/wrong-information.yml",
    "ISSUE_TEMPLATE/translation-problem.yml",
    "workflows/ci.yml",
)


@pytest.mark.parametrize("name", GITHUB_FILES)
def test_github_template_exists(name):
    assert (GITHUB / name).is_file(), f".github/{name} is missing"


@pytest.mark.parametrize("name", ["wrong-information.yml", "translation-problem.yml"])
def test_issue_forms_are_valid(name):
    form = load_yaml(GITHUB / "ISSUE_TEMPLATE" / name)
    assert form.get("name") and form.get("description"), f"{name}: issue forms need 'name' and 'description'"
    body = form.get("body") or []
    ids = [item["id"] for item in body if "id" in item]
    assert len(ids) == len(set(ids)), f"{name}: duplicate ids {ids}"
    for item in body:
        assert item.get("type") in {"markdown", "input", "textarea", "dropdown", "checkboxes"}, f"{name}: bad type in {item}"
        if item["type"] != "markdown":
            assert item.get("id") and item.get("attributes", {}).get("label"), f"{name}: every field needs an id and a label: {item}"
    assert any((item.get("validations") or {}).get("required") for item in body), f"{name}: no required field"


def ci_run_needs(script: str) -> list[str]:
    """What .ci/run installs and runs: apt packages, the npm install, exported variables, make targets."""
    needs: list[str] = []
    for line in re.findall(r"apt-get install ([^\n>]*)", script):
        needs += [word for word in line.split() if not word.startswith("-")]
    needs += [" ".join(m.split()[:4]) for m in re.findall(r"^\s*(npm ci [^\n]*)", script, re.M)]  # npm ci --prefix bench
    needs += re.findall(r"^export (WEGWEISER_\w+)=", script, re.M)
    needs += re.findall(r"^(make \w+)", script, re.M)
    return needs


def workflow_misses(workflow: dict, script: str) -> list[str]:
    """What .ci/run installs or runs that the workflow does not: nothing when a step runs .ci/run itself."""
    steps = [step for job in (workflow.get("jobs") or {}).values() for step in job.get("steps") or []]
    runs = "\n".join(str(step.get("run", "")) for step in steps)
    if re.search(r"^\s*(bash\s+)?(\./)?\.ci/run\b", runs, re.M):
        return []
    text = yaml.safe_dump(workflow)
    return [need for need in ci_run_needs(script) if need not in text]


def test_ci_workflow_runs_the_same_checks():
    text = (GITHUB / "workflows" / "ci.yml").read_text(encoding="utf-8")
    workflow = load_yaml(GITHUB / "workflows" / "ci.yml")
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare 'on' as True
    assert "pull_request" in triggers and "push" in triggers
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    missing = workflow_misses(workflow, script)
    assert not missing, f".github/workflows/ci.yml neither runs .ci/run nor installs/runs what it does: {missing}"
    for needle in ("make check", "scripts/check.py --format github", "bash scripts/audit_deps.sh", "3.11", "fetch-depth: 0"):
        assert needle in text, f".github/workflows/ci.yml does not run/install {needle!r}"


def test_ci_comparison_notices_a_workflow_that_drifted():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    needs = ci_run_needs(script)
    for need in ("chromium", "nginx-light", "default-jre-headless", "npm ci --prefix bench", "WEGWEISER_BROWSER_REQUIRED", "make lint", "make test"):
        assert need in needs, f"ci_run_needs no longer finds {need!r} in .ci/run"
    # The workflow as it was before Java and vnu.jar came to .ci/run.
    drifted = {
        "jobs": {
            "check-and-test": {
                "env": {"WEGWEISER_BROWSER_REQUIRED": "1"},
                "steps": [
                    {"uses": "actions/checkout@v4"},
                    {"run": "apt-get install -y -qq --no-install-recommends chromium nginx-light fonts-dejavu-core fonts-noto-core"},
                    {"run": "make test"},
                ],
            }
        }
    }
    assert workflow_misses(drifted, script) == ["default-jre-headless", "npm", "npm ci --prefix bench", "make lint"]
    drifted["jobs"]["check-and-test"]["steps"].append({"run": ".ci/run"})
    assert workflow_misses(drifted, script) == []


def unannotated(source: str) -> list[tuple[int, str, list[str]]]:
    """Public functions and methods (not nested in a function) with a parameter or return value lacking a type hint."""
    import ast

    out = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef) and not child.name.startswith("_"):
                visit(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) and not child.name.startswith("_"):
                args = child.args
                params = [*args.posonlyargs, *args.args, *args.kwonlyargs]
                if prefix and params and params[0].arg in ("self", "cls"):
                    params = params[1:]
                bad = [p.arg for p in params if p.annotation is None]
                bad += [f"{stars}{v.arg}" for stars, v in (("*", args.vararg), ("**", args.kwarg)) if v is not None and v.annotation is None]
                bad += ["return"] if child.returns is None else []
                if bad:
                    out.append((child.lineno, prefix + child.name, bad))

    visit(ast.parse(source), "")
    return out


def test_public_functions_in_wegweiser_have_type_hints():
    missing = [
        f"{path.relative_to(ROOT)}:{line}: {name} lacks hints for {', '.join(what)}"
        for path in sorted((ROOT / "wegweiser").rglob("*.py"))
        for line, name, what in unannotated(path.read_text(encoding="utf-8"))
    ]
    assert not missing, "public functions of the package need type hints:\n" + "\n".join(missing)


def test_type_hint_check_finds_what_is_missing():
    source = "def f(page, n: int, *rest, **extra): ...\nclass C:\n    def m(self, x: int) -> None: ...\n    def g(self): ...\ndef _private(x): ...\ndef ok(x: int) -> int:\n    def inner(y): ...\n    return x\n"
    assert unannotated(source) == [(1, "f", ["page", "*rest", "**extra", "return"]), (4, "C.g", ["return"])]


def test_pre_commit_hooks_are_local():
    config = load_yaml(ROOT / ".pre-commit-config.yaml")
    repos = config.get("repos") or []
    remote = [r.get("repo") for r in repos if r.get("repo") != "local"]
    assert not remote, f".pre-commit-config.yaml downloads hooks at commit time: {remote}"
    entries = [h.get("entry", "") for r in repos for h in r.get("hooks", [])]
    assert all(h.get("language") == "system" for r in repos for h in r.get("hooks", []))
    for needle in (".venv/bin/ruff check", ".venv/bin/ruff format --check", ".venv/bin/python -m wegweiser check"):
        assert any(e.startswith(needle) for e in entries), f".pre-commit-config.yaml has no hook running {needle!r}"


VOLATILE_FACTS = (
    "Rundfunkbeitrag",
    "Mindestlohn",
    "Blue Card",
    "Anerkennungszuschuss",
    "Grundsicherungsgeld",
    "Leistungsrechtsanpassungsgesetz",
    "Integrationskursverordnung",
    "§ 44 Abs. 4",
    "Gewalthilfegesetz",
    "GEAS",
    "Einbürgerung",
)


def test_maintainers_list_names_the_volatile_facts():
    text = (ROOT / "MAINTAINERS.md").read_text(encoding="utf-8")
    missing = [fact for fact in VOLATILE_FACTS if fact not in text]
    assert not missing, f"MAINTAINERS.md does not list {missing}"
    places = set(re.findall(r"`([a-z-]+)#([a-z0-9_]+)`", text))
    assert places, "MAINTAINERS.md names no guide#step"
    stale = []
    for slug, step in sorted(places):
        page = DOCS / f"{slug}.md"
        if not page.exists() or "{#" + step + "}" not in page.read_text(encoding="utf-8"):
            stale.append(f"{slug}#{step}")
    assert not stale, f"MAINTAINERS.md points to guides or steps that do not exist (renamed?): {stale}"


def test_the_package_imports_mkdocs_only_where_it_adapts_the_preview():
    """Content model, checks and generators work without MkDocs; only the preview's cache wraps it."""
    import ast

    importing = set()
    for path in sorted((ROOT / "wegweiser").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n == "mkdocs" or n.startswith("mkdocs.") for n in names):
                importing.add(path.relative_to(ROOT).as_posix())
    assert importing == {"wegweiser/preview_cache.py"}, importing
