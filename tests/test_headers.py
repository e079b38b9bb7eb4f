"""Security headers: the policy of data/headers.yml, served by a real nginx, checked in Chromium."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, make_site, run_build

from wegweiser.config import ConfigError
from wegweiser.headers import (
    CSP,
    HEADERS_FILE,
    NGINX_FILE,
    XFO,
    InlineCode,
    csp_hash,
    headers_for,
    is_embed,
    load_policy,
    render_headers_file,
    render_nginx_conf,
    scan_html,
    scan_site,
    write_headers,
)

POLICY_FILE = ROOT / "data" / "headers.yml"
TEMPLATE = ROOT / "deploy" / "nginx.conf.j2"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
REQUIRED = os.environ.get("WEGWEISER_BROWSER_REQUIRED") == "1"


# ----------------------------------------------------------------------------------------------
# Unit tests: hashing, scanning, header sets
# ----------------------------------------------------------------------------------------------


def test_hash_of_a_known_script():
    # printf 'alert(1)' | openssl dgst -sha256 -binary | base64
    assert csp_hash("alert(1)") == "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"


def test_hash_uses_the_browsers_newline_normalisation():
    # printf 'a\nb' | openssl dgst -sha256 -binary | base64: the browser sees LF for CR LF and CR.
    expected = "'sha256-fhj3NzEbLcOy8mndeDlrA1HxT7Zu+oefdoyyMYGIPHg='"
    assert csp_hash("a\r\nb") == csp_hash("a\rb") == csp_hash("a\nb") == expected


def test_scan_hashes_executable_inline_code_only():
    html = """<html><head><style>p{color:red}</style>
    <script>alert(1)</script><script type="module">alert(1)</script><script type="text/javascript">b()</script>
    <script type="application/json">{"a": 1}</script><script type="application/ld+json">{}</script>
    <script src="x.js"></script></head><body><p>x</p></body></html>"""
    found = scan_html(html)
    assert found.scripts == {csp_hash("alert(1)"), csp_hash("b()")}
    assert found.styles == {csp_hash("p{color:red}")}
    assert not found.style_attrs and not found.findings


@pytest.mark.parametrize(
    ("html", "scripts"),
    [
        ('<script src="a.js"></script><script type="application/ld+json">{}</script><p>x</p>', 0),
        ('<script type="application/ld+json">{}</script><script src="a.js"></script><SCRIPT>late()</SCRIPT>', 1),
        ('<script type="application/json">{}</script>\n<script\ntype="module">m()</script>', 1),
    ],
)
def test_scan_skips_documents_without_inline_code_but_never_misses_any(html, scripts):
    assert len(scan_html(html).scripts) == scripts


def test_scan_reports_inline_code_the_policy_blocks():
    html = '<p>\n<a href=" javascript:alert(1)">x</a><img src="a.png" onerror="alert(1)"><span style="color: red">y</span></p>'
    found = scan_html(html, "site/x/index.html")
    assert [f.format() for f in found.findings] == [
        'site/x/index.html:2:1: warning [Headers.JavascriptUrl] <a href="javascript:..."> is blocked by the '
        "Content-Security-Policy (data/headers.yml); use a link or a script file",
        "site/x/index.html:2:37: warning [Headers.InlineHandler] <img onerror=...> is blocked by the "
        "Content-Security-Policy (data/headers.yml); add the handler in assets/ww/wegweiser.js",
    ]
    assert found.style_attrs == {csp_hash("color: red")}


# Tuples of: URL path, whether it is an embed page (framable, no X-Frame-Options).
PATHS = [
    ("/", False),
    ("/anmeldung/", False),
    ("/en/anmeldung/", False),
    ("/404.html", False),
    ("/assets/ww/embed.css", False),
    ("/assets/stylesheets/main.57a0d79d.min.css", False),
    ("/assets/javascripts/bundle.a5f9d56c.min.js", False),
    ("/embedded/", False),
    ("/anmeldung/embed/", True),
    ("/embed/anmeldung/", True),
    ("/embed/anmeldung/termin/", True),
    ("/ar/embed/anmeldung/", True),
    ("/ar/embed/anmeldung/termin/", True),
]


@pytest.mark.parametrize(("path", "embed"), PATHS)
def test_embed_and_page_rules(path, embed):
    policy = load_policy(POLICY_FILE)
    inline = InlineCode(scripts={csp_hash("alert(1)")})
    headers = dict(headers_for(path, policy, inline))
    assert is_embed(path, policy) is embed
    csp = directives(headers[CSP])
    assert csp["script-src"] == ["'self'", csp_hash("alert(1)")]
    assert "'unsafe-inline'" not in headers[CSP] and "'unsafe-eval'" not in headers[CSP]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert {"camera=()", "microphone=()", "geolocation=()", "interest-cohort=()"} <= set(headers["Permissions-Policy"].split(", "))
    for name, sources in [("img-src", ["'self'", "data:"]), ("object-src", ["'none'"]), ("base-uri", ["'none'"])]:
        assert csp[name] == sources
    if embed:
        assert csp["frame-ancestors"] == ["*"] and XFO not in headers
    else:
        assert csp["frame-ancestors"] == ["'none'"] and headers[XFO] == "DENY"


@pytest.mark.parametrize(("path", "embed"), PATHS)
def test_headers_file_gives_every_path_its_set(path, embed):
    policy = load_policy(POLICY_FILE)
    inline = InlineCode(scripts={csp_hash("alert(1)")}, styles={csp_hash("p{}")})
    served = apply_headers_file(render_headers_file(policy, inline), path)
    assert served == dict(headers_for(path, policy, inline))


def test_embed_allow_list_is_configurable(tmp_path):
    text = POLICY_FILE.read_text(encoding="utf-8").replace('frame_ancestors: ["*"]', 'frame_ancestors: ["https://www.berlin.de", "https://*.bund.de"]')
    (tmp_path / "headers.yml").write_text(text, encoding="utf-8")
    policy = load_policy(tmp_path / "headers.yml")
    headers = dict(headers_for("/embed/anmeldung/", policy, InlineCode()))
    assert directives(headers[CSP])["frame-ancestors"] == ["https://www.berlin.de", "https://*.bund.de"]


def test_style_attributes_are_allowed_by_hash_only():
    policy = load_policy(POLICY_FILE)
    inline = scan_html('<p style="color: red">x</p>')
    style = directives(dict(headers_for("/", policy, inline))[CSP])["style-src"]
    assert style == ["'self'", "'unsafe-hashes'", csp_hash("color: red")]


# Tuples of: text replaced in data/headers.yml, replacement, the message after "error [Headers.Config]".
BROKEN = [
    (
        """script-src: ["'self'"]""",
        """script-src: ["'self'", "'unsafe-inline'"]""",
        "directive 'script-src' must not allow 'unsafe-inline' or 'unsafe-eval'; inline scripts are hashed by the build",
    ),
    (
        "X-Content-Type-Options: nosniff",
        'X-Frame-Options: "SAMEORIGIN"',
        "'X-Frame-Options' is built from its own section; remove it from headers",
    ),
    (
        "  - /:lang/embed/*",
        "  - /*/embed/*",
        "embed path '/*/embed/*' must start with '/' and contain at most one '*', e.g. /:lang/embed/*",
    ),
    (
        "Referrer-Policy: no-referrer",
        'Referrer-Policy: "no-$referrer"',
        "header 'Referrer-Policy' has a character that cannot be written safely (quote, backslash, $, newline, non-ASCII)",
    ),
    ("x_frame_options: DENY", "x_frame_options: ALLOW", "x_frame_options must be DENY or SAMEORIGIN, not 'ALLOW'"),
    (
        "    - /assets/javascripts/bundle.*",
        "    - assets/javascripts/bundle.*",
        "immutable path 'assets/javascripts/bundle.*' must start with '/' and contain at most one '*', e.g. /assets/stylesheets/*",
    ),
    (
        "content_security_policy:",
        "content_security_policy:\n  frame-ancestors: ['*']",
        "set frame-ancestors under framing.pages / framing.embeds, not in content_security_policy",
    ),
]


@pytest.mark.parametrize(("old", "new", "message"), BROKEN)
def test_broken_policy_gives_file_line_message(tmp_path, old, new, message):
    text = POLICY_FILE.read_text(encoding="utf-8")
    assert old in text
    broken = text.replace(old, new, 1)
    (tmp_path / "headers.yml").write_text(broken, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_policy(tmp_path / "headers.yml")
    # The line is the one the replacement ends on: where an editor has to look.
    line = broken[: broken.index(new) + len(new)].count("\n") + 1
    assert [f.format() for f in exc.value.findings] == [f"{tmp_path / 'headers.yml'}:{line}:1: error [Headers.Config] {message}"]


@pytest.mark.parametrize(("required", "outcome"), [(False, pytest.skip.Exception), (True, pytest.fail.Exception)])
def test_missing_browser_skips_locally_and_fails_in_ci(monkeypatch, required, outcome):
    monkeypatch.setattr(sys.modules[__name__], "REQUIRED", required)
    with pytest.raises(outcome):
        require(False, "chromium")


# ----------------------------------------------------------------------------------------------
# The hook, without a build
# ----------------------------------------------------------------------------------------------


class FakeConfig(dict):
    """The parts of a MkDocs config the hook reads (no i18n plugin: one language)."""

    def __init__(self, root: Path):
        super().__init__()
        self.plugins: dict = {}
        self.site_dir = str(root / "site")
        self.config_file_path = str(root / "mkdocs.yml")


def load_hook():
    spec = importlib.util.spec_from_file_location("ww_hook_headers", ROOT / "hooks" / "headers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fake_project(tmp_path: Path, policy: str, page: str) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "headers.yml").write_text(policy, encoding="utf-8")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text(page, encoding="utf-8")
    return tmp_path


def test_hook_writes_both_files_and_warns_about_blocked_inline_code(tmp_path, caplog):
    root = fake_project(tmp_path, POLICY_FILE.read_text(encoding="utf-8"), '<script>go()</script>\n<button onclick="go()">x</button>')
    hook = load_hook()
    hook.on_startup("build")
    with caplog.at_level("INFO", logger="mkdocs.plugins.headers"):
        hook.on_post_build(FakeConfig(root))
    assert csp_hash("go()") in (root / "site" / HEADERS_FILE).read_text(encoding="utf-8")
    assert csp_hash("go()") in (root / "site" / NGINX_FILE).read_text(encoding="utf-8")
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warnings == [
        "headers: site/index.html:2:1: warning [Headers.InlineHandler] <button onclick=...> is blocked by the "
        "Content-Security-Policy (data/headers.yml); add the handler in assets/ww/wegweiser.js"
    ]


def test_hook_stops_the_build_on_a_broken_policy(tmp_path):
    from mkdocs.exceptions import PluginError

    root = fake_project(tmp_path, "content_security_policy: [1, 2]\n", "<p>x</p>")
    hook = load_hook()
    hook.on_startup("build")
    with pytest.raises(PluginError) as exc:
        hook.on_post_build(FakeConfig(root))
    lines = str(exc.value).splitlines()
    assert lines[0] == "2 error(s) in the security headers:"
    assert lines[1].endswith("headers.yml:1:1: error [Headers.Config] content_security_policy must map directives to lists, e.g. script-src: [\"'self'\"]")
    assert lines[2].endswith(
        "headers.yml:1:1: error [Headers.Config] framing needs 'pages' and 'embeds', e.g. embeds: {paths: [/embed/*], frame_ancestors: ['*']}"
    )


# ----------------------------------------------------------------------------------------------
# Real build, real nginx
# ----------------------------------------------------------------------------------------------


@pytest.mark.build
@pytest.mark.xdist_group("served_site")
def test_build_writes_both_files_from_one_policy(served_site):
    site, _ = served_site
    policy = load_policy(POLICY_FILE)
    inline = scan_site(site)
    assert (site / HEADERS_FILE).read_text(encoding="utf-8") == render_headers_file(policy, inline)
    nginx_conf = (site / NGINX_FILE).read_text(encoding="utf-8")
    for name, value in headers_for("/", policy, inline) + headers_for("/embed/x/", policy, inline):
        assert f'add_header {name} "{value}" always;' in nginx_conf
    # Wegweiser empties Material's inline helper scripts (overrides/partials/javascripts): the pages
    # run no inline script at all, so script-src is just 'self'; nothing inline that CSP would block.
    assert inline.scripts == set() and not inline.findings


@pytest.mark.build
@pytest.mark.xdist_group("served_site")
def test_nginx_sends_the_headers(served_site):
    site, base = served_site
    policy = load_policy(POLICY_FILE)
    inline = scan_site(site)
    hashed = sorted("/" + p.relative_to(site).as_posix() for p in (site / "assets").glob("*/*.min.*") if re.search(r"\.[0-9a-f]{8}\.min\.(css|js)$", p.name))
    assert len(hashed) >= 3, hashed  # Material's main and palette stylesheets and its bundle
    paths = ["/", "/anmeldung/", "/ar/anmeldung/", "/assets/ww/wegweiser.css", "/assets/ww/wegweiser.js", *embed_paths(site)[:2], *hashed]
    # With nosniff, a wrong Content-Type would stop the stylesheet or script: check nginx's types.
    types = {".css": "text/css", ".js": "application/javascript", "/": "text/html"}
    for path in paths:
        status, headers = fetch(base + path)
        assert status == 200, path
        assert headers["Content-Type"].startswith(next(t for end, t in types.items() if path.endswith(end))), path
        expected = dict(headers_for(path, policy, inline))
        assert {k: headers.get(k) for k in expected} == expected, path
        assert (XFO in headers) is not is_embed(path, policy)
        assert ("immutable" in headers.get("Cache-Control", "")) is (path in hashed), path  # fixed names are never cached as immutable
        assert "Set-Cookie" not in headers
    status, headers = fetch(base + "/no-such-page/")
    assert status == 404 and headers[CSP] == dict(headers_for("/404.html", policy, inline))[CSP]
    assert fetch(base + "/" + HEADERS_FILE)[0] == 404
    assert fetch(base + "/" + NGINX_FILE)[0] == 404


@pytest.mark.browser
@pytest.mark.xdist_group("served_site")
def test_pages_run_under_the_policy_without_violations(served_site, browser):
    site, base = served_site
    context = browser.new_context()
    try:
        page = context.new_page()
        messages = watch(page)
        seen = set()
        for path, kind in page_urls(site):
            response = page.goto(base + path, wait_until="load")
            assert response is not None and response.headers.get(CSP.lower()), path
            settle(page, kind, base + path)
            page.wait_for_timeout(150)
            # The hashed inline scripts really ran (Material's base.html defines __md_scope).
            if "__md_scope" in page.content():
                assert page.evaluate("typeof __md_scope") == "object", path
            messages += page.evaluate("window.__violations")
            seen.add(kind)
        assert policy_problems(messages) == []
        assert {"start", "guide", "translation:guide", "404"} <= seen
        assert "embed" in seen or "translation:embed" in seen
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.xdist_group("served_site")
def test_an_injected_inline_script_is_blocked_and_reported(served_site, browser):
    # The negative control: proves the policy blocks unhashed code and that watch() sees it.
    site, base = served_site
    probe = site / "csp-probe"
    probe.mkdir()
    (probe / "index.html").write_text("<!doctype html><title>probe</title><script>window.injected = 1</script>\n", encoding="utf-8")
    context = browser.new_context()
    try:
        page = context.new_page()
        messages = watch(page)
        page.goto(base + "/csp-probe/", wait_until="load")
        messages += page.evaluate("window.__violations")
        assert page.evaluate("typeof window.injected") == "undefined"
        assert any("script-src" in m for m in policy_problems(messages)), messages
    finally:
        context.close()
        shutil.rmtree(probe)


@pytest.mark.browser
@pytest.mark.xdist_group("served_site")
def test_normal_page_refuses_to_be_framed_and_embed_is_framed(served_site, browser):
    site, base = served_site
    embed = embed_paths(site)[-1]
    body = f'<iframe name="page" src="{base}/anmeldung/"></iframe><iframe name="embed" src="{base}{embed}"></iframe>'
    context = browser.new_context()
    try:
        with other_origin(body) as parent:
            page = context.new_page()
            messages = watch(page)
            page.goto(parent, wait_until="load")
            page.wait_for_timeout(300)
            framed = {frame.name: frame for frame in page.frames if frame.name}
            # The normal page is replaced by Chromium's error page, and the console says why.
            assert not framed["page"].url.startswith(base), framed["page"].url
            assert any("frame-ancestors 'none'" in m for m in messages), messages
            assert framed["embed"].url == base + embed
            assert framed["embed"].evaluate("document.querySelector('h1') !== null")
    finally:
        context.close()


# ----------------------------------------------------------------------------------------------
# Helpers and fixtures (test_privacy_browser.py uses them too)
# ----------------------------------------------------------------------------------------------


def directives(csp: str) -> dict[str, list[str]]:
    """Split a CSP value into directive -> sources."""
    out = {}
    for part in csp.split(";"):
        name, *sources = part.split()
        out[name] = sources
    return out


def apply_headers_file(text: str, path: str) -> dict[str, str]:
    """Resolve the headers for ``path`` the way Cloudflare Pages reads ``_headers``.

    Every matching rule applies in file order; ``! Name`` deletes a header; a header set again by
    a later rule is appended with ``, `` unless an earlier rule of the same request deleted it.
    """
    rules: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("/"):
            rules.append((line.strip(), []))
        else:
            rules[-1][1].append(line.strip())
    served: dict[str, str] = {}
    for pattern, lines in rules:
        regex = "^" + "".join(".*" if p == "*" else "[^/]+" if p.startswith(":") else re.escape(p) for p in re.split(r"(\*|:\w+)", pattern)) + "$"
        if not re.match(regex, path):
            continue
        for line in lines:
            if line.startswith("! "):
                served.pop(line[2:], None)
            else:
                name, value = line.split(": ", 1)
                served[name] = f"{served[name]}, {value}" if name in served else value
    return served


def fetch(url: str) -> tuple[int, dict[str, str]]:
    """GET ``url``; return the status and the response headers (also for 4xx)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers)


def embed_paths(site: Path) -> list[str]:
    """URL paths of the embed pages in the built site (German first), without forwarding pages."""
    found = sorted(
        (
            "/" + p.parent.relative_to(site).as_posix() + "/"
            for p in site.rglob("index.html")
            if "embed" in p.relative_to(site).parts and 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")
        ),
        key=lambda u: (u.count("/"), u),
    )
    return found


def page_urls(site: Path) -> list[tuple[str, str]]:
    """One page per page type of the built site as (URL path, type), plus a missing page (404).

    Types come from the URL: start, guide (a page of the fixture's ``docs/``), embed, print,
    redirect (a meta refresh), other generated folders (reports, ...), each also as
    ``translation:<type>`` under a language folder. The first page of each type is used.
    """
    docs = {p.name.split(".")[0] for p in (FIXTURES / "minimal" / "docs").glob("*.md")}
    langs = {p.name for p in site.iterdir() if p.is_dir() and (p / "index.html").exists() and re.fullmatch(r"[a-z]{2,3}", p.name)}
    chosen: dict[str, str] = {}
    for index in sorted(site.rglob("index.html"), key=lambda p: (len(p.parts), str(p))):
        parts = index.parent.relative_to(site).parts
        kind = kind_of(parts, langs, docs)
        if RE_REFRESH.search(index.read_text(encoding="utf-8", errors="replace")):
            kind = "translation:redirect" if kind.startswith("translation:") else "redirect"
        chosen.setdefault(kind, "/" + "".join(f"{part}/" for part in parts))
    return [(path, kind) for kind, path in sorted(chosen.items())] + [("/no-such-page/", "404")]


def kind_of(parts: tuple[str, ...], langs: set[str], docs: set[str]) -> str:
    """The page type from its URL folders, e.g. ``('ar', 'embed', 'anmeldung')`` -> ``translation:embed``."""
    translated = bool(parts) and parts[0] in langs
    rest = parts[1:] if translated else parts
    if not rest:
        kind = "start"
    elif rest[0] in ("embed", "print"):
        kind = rest[0] + (":step" if len(rest) > 2 else "")
    else:
        kind = "guide" if rest[0] in docs else rest[0]
    return f"translation:{kind}" if translated else kind


RE_REFRESH = re.compile(r"<meta[^>]+http-equiv=[\"']?refresh", re.I)


def settle(page, kind: str, url: str) -> None:
    """After a redirect page, wait until the browser has followed it (then check the target)."""
    if kind.endswith("redirect"):
        page.wait_for_url(lambda current: current != url, timeout=10000)
        page.wait_for_load_state("load")


def require(available: bool, what: str) -> None:
    """Skip when a tool is missing; fail instead in CI (WEGWEISER_BROWSER_REQUIRED=1)."""
    if available:
        return
    if REQUIRED:
        pytest.fail(f"{what} is missing, and WEGWEISER_BROWSER_REQUIRED=1 (CI) forbids skipping: apt-get install chromium nginx-light")
    pytest.skip(f"{what} is not installed")


_BUILT: dict[str, Path] = {}


def headers_site(request, tmp_path_factory) -> Path:
    """The fixture site built with hooks/headers.py, copied for this test process, with embeds.

    Once mkdocs.yml lists hooks/headers.py, this is the build the HTML tests share (no extra
    build); until then one extra build, shared by all pytest-xdist workers of the run.
    """
    if "site" in _BUILT:
        return _BUILT["site"]
    if "hooks/headers.py" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8"):
        source = request.getfixturevalue("built_fixture")
    else:
        source = shared_build(tmp_path_factory)
    assert (source / HEADERS_FILE).exists() and (source / NGINX_FILE).exists(), "hooks/headers.py did not run"
    # A private copy: tests add pages to it, and the shared build stays as it was built.
    site = tmp_path_factory.mktemp("served") / "site"
    shutil.copytree(source, site)
    if not embed_paths(site):
        # Embeds come from hooks/outputs.py; without them, two stand-ins at the same paths, and
        # the header files written again (by the same function the hook calls) to include them.
        for rel in ("embed/anmeldung", "ar/embed/anmeldung/termin"):
            (site / rel).mkdir(parents=True)
            (site / rel / "index.html").write_text("<!doctype html><title>Embed</title><h1>Embed</h1>\n", encoding="utf-8")
        write_headers(site, POLICY_FILE)
    _BUILT["site"] = site
    return site


def shared_build(tmp_path_factory) -> Path:
    """Build the fixture site with hooks/headers.py added, once per run (a lock across workers)."""
    import fcntl

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the folder of this run, shared by its workers only
    folder = base / "headers-build"
    with open(base / "headers-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            root = make_site(folder / "proj")
            config = (root / "mkdocs.yml").read_text(encoding="utf-8")
            config = re.sub(r"^hooks:\n", "hooks:\n  - hooks/headers.py\n", config, count=1, flags=re.M)
            (root / "mkdocs.yml").write_text(config, encoding="utf-8")
            result = run_build(root)
            assert result.returncode == 0, result.stdout + result.stderr
            (folder / "done").write_text("built\n", encoding="utf-8")
    return folder / "proj" / "site"


@contextlib.contextmanager
def nginx_serving(site: Path, workdir: Path):
    """Run the Debian nginx in the foreground on a free loopback port; yield its base URL."""
    require(Path(NGINX).exists(), "nginx")
    workdir.mkdir(parents=True, exist_ok=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    conf = render_nginx_conf(
        TEMPLATE,
        root=site,
        headers_conf=site / NGINX_FILE,
        listen=f"127.0.0.1:{port}",
        prefix=workdir,
        daemon=False,
        # As root, nginx workers switch to "nobody", who cannot read pytest's 0700 folders.
        user="root" if os.geteuid() == 0 else None,
    )
    (workdir / "nginx.conf").write_text(conf, encoding="utf-8")
    cmd = [NGINX, "-p", str(workdir), "-c", str(workdir / "nginx.conf"), "-e", str(workdir / "error.log")]
    check = subprocess.run([*cmd, "-t", "-q"], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 15
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else "nginx exited"
            assert time.monotonic() < deadline, "nginx did not start within 15 s"
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def other_origin(body: str):
    """Serve ``body`` as an HTML page from a second origin (127.0.0.2); yield its URL.

    A real server, not a Playwright route: Chromium blocks frames from a routed page to loopback.
    """
    import http.server
    import threading

    class Parent(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body.encode("utf-8"))

        def log_message(self, *args):
            pass

    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.2", 0), Parent)
    except OSError:  # no 127.0.0.2 here: another port is another origin too
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Parent)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}/parent.html"
    finally:
        server.shutdown()
        server.server_close()


RE_POLICY = re.compile(r"Content Security Policy|Content-Security-Policy|Permissions-Policy|Refused to|^CSP |^page error")


def policy_problems(messages: list[str]) -> list[str]:
    """The messages about a blocked resource or a policy error (not, say, a missing file)."""
    return [m for m in messages if RE_POLICY.search(m.split(": ", 1)[-1]) or RE_POLICY.search(m)]


def watch(page) -> list[str]:
    """Collect console errors/warnings, page errors and CSP violation events of ``page``."""
    problems: list[str] = []
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation', e => window.__violations.push("
        "'CSP ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' in ' + e.documentURI));"
    )
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    return problems


@pytest.fixture(scope="module")
def served_site(request, tmp_path_factory):
    """The built fixture site served by nginx: (site folder, base URL)."""
    site = headers_site(request, tmp_path_factory)
    with nginx_serving(site, tmp_path_factory.mktemp("nginx")) as base:
        yield site, base


@pytest.mark.parametrize(
    ("html", "parsed"),
    [
        ('<pre><code>&lt;iframe src="x" style="width:100%"&gt;&lt;/iframe&gt;</code></pre>', False),  # example code
        ("<p>Setzen Sie style= oder onclick= nie ein.</p>", False),
        ('<a title="a > b" style="color: red">x</a>', True),  # ">" inside a quoted value
        ("<IMG SRC=x ONERROR=go()>", True),
        ('<div\n  data-x="1"\n  style="margin:0">y</div>', True),
    ],
)
def test_prefilter_looks_for_attributes_inside_tags_only(html, parsed, monkeypatch):
    import wegweiser.headers as headers

    calls = []
    monkeypatch.setattr(headers._InlineScanner, "feed", lambda self, text: calls.append(text))
    headers.scan_html(html)
    assert bool(calls) is parsed
