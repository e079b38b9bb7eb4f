"""Security headers: one policy (``data/headers.yml``), two deploy formats, inline code by hash.

After the build, every HTML file in ``site/`` is scanned for inline code. Each distinct inline
``<script>`` and ``<style>`` gets its sha256 hash into the Content-Security-Policy, so the policy
never needs ``'unsafe-inline'``. The header sets are then written twice from the same data:

* ``site/_headers``: Cloudflare Pages rules (every matching rule applies in file order; a line
  ``! Name`` drops a header an earlier rule set). The host reads this file and does not serve it.
* ``site/_headers.nginx.conf``: nginx ``location`` blocks for the ``server`` of
  ``deploy/nginx.conf.j2``. Each location repeats every header, because nginx forgets inherited
  ``add_header`` lines as soon as a location has one of its own.

Normal pages may not be framed (``frame-ancestors 'none'`` + ``X-Frame-Options: DENY``); embed
pages (``/embed/…`` and ``/<lang>/embed/…``) may, and send no ``X-Frame-Options``.
Pure functions, no MkDocs import: ``hooks/headers.py`` calls :func:`write_headers`.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from .config import ConfigError, _rel, read_yaml
from .findings import WARNING, Finding, finding

HEADERS_FILE = "_headers"
NGINX_FILE = "_headers.nginx.conf"
CSP = "Content-Security-Policy"
BLOCKED = "is blocked by the Content-Security-Policy (data/headers.yml)"
XFO = "X-Frame-Options"

# Cloudflare Pages refuses longer lines in _headers; the CSP line grows with every inline hash.
MAX_LINE = 2000

# Script types a browser executes (HTML spec "JavaScript MIME type essence match", plus module,
# importmap and speculationrules). Any other type is an inert data block such as JSON-LD or
# Material's __config JSON: CSP does not apply to it, so it needs no hash.
JS_TYPES = frozenset(
    ["", "module", "importmap", "speculationrules"]
    + [f"{t}/{s}" for t in ("application", "text") for s in ("ecmascript", "javascript", "x-ecmascript", "x-javascript")]
    + [f"text/javascript1.{n}" for n in range(6)]
    + ["text/jscript", "text/livescript"]
)
RE_HEADER_NAME = re.compile(r"^[A-Za-z0-9-]+$")
# Characters that would break a quoted nginx string or a _headers line.
RE_BAD_VALUE = re.compile(r'["\\$\r\n]|[^\x20-\x7e]')


# ----------------------------------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """The parsed ``data/headers.yml``."""

    csp: dict[str, list[str]]
    """Directive -> sources, without frame-ancestors and without inline hashes."""
    headers: dict[str, str]
    """Headers for every response."""
    permissions: list[str]
    """Features denied by Permissions-Policy."""
    page_frame_ancestors: list[str]
    page_x_frame_options: str
    embed_paths: list[str]
    """URL patterns of embed pages, ``*`` and ``:name`` syntax."""
    embed_frame_ancestors: list[str]
    immutable_paths: list[str] = field(default_factory=list)
    """URL patterns of files whose names carry a hash of their content (cached for a year)."""


@dataclass
class InlineCode:
    """What a scan of the built HTML found."""

    scripts: set[str] = field(default_factory=set)
    """CSP hash sources of executable inline scripts."""
    styles: set[str] = field(default_factory=set)
    """CSP hash sources of inline ``<style>`` blocks."""
    style_attrs: set[str] = field(default_factory=set)
    """CSP hash sources of ``style=""`` attributes (need 'unsafe-hashes')."""
    findings: list[Finding] = field(default_factory=list)
    """Inline code the policy blocks: event handlers, ``javascript:`` URLs, over-long lines."""


# ----------------------------------------------------------------------------------------------
# Loading the policy
# ----------------------------------------------------------------------------------------------


def load_policy(path: Path) -> Policy:
    """Read and check ``data/headers.yml``.

    Arguments:
        path: the YAML file.

    Returns:
        The policy. Raises ``ConfigError`` with ``file:line`` findings when the file is broken.

    """
    data = read_yaml(path)
    rel = _rel(path)
    text = path.read_text(encoding="utf-8-sig")
    problems: list[Finding] = []

    def fail(key: str, message: str) -> None:
        problems.append(finding(rel, _line_of(text, key), "Headers.Config", message))

    if not isinstance(data, dict):
        raise ConfigError([finding(rel, 1, "Headers.Config", "expected a mapping with content_security_policy, headers, framing")])
    csp = data.get("content_security_policy")
    if not isinstance(csp, dict) or not csp:
        fail("content_security_policy", "content_security_policy must map directives to lists, e.g. script-src: [\"'self'\"]")
        csp = {}
    for name, sources in csp.items():
        if not re.fullmatch(r"[a-z-]+", str(name)):
            fail(f"{name}", f"'{name}' is not a CSP directive name, e.g. script-src")
        elif not isinstance(sources, list) or not all(isinstance(s, str) and s for s in sources):
            fail(f"{name}", f"directive '{name}' needs a list of sources, e.g. [\"'self'\"]")
        elif any(s in ("'unsafe-inline'", "'unsafe-eval'") for s in sources) and name.startswith("script-src"):
            fail(f"{name}", f"directive '{name}' must not allow 'unsafe-inline' or 'unsafe-eval'; inline scripts are hashed by the build")
    if "frame-ancestors" in csp:
        fail("frame-ancestors", "set frame-ancestors under framing.pages / framing.embeds, not in content_security_policy")
    headers = data.get("headers") or {}
    if not isinstance(headers, dict):
        fail("headers", "headers must map header names to values, e.g. Referrer-Policy: no-referrer")
        headers = {}
    for name in (CSP, XFO, "Permissions-Policy"):
        if name in headers:
            fail(name, f"'{name}' is built from its own section; remove it from headers")
    permissions = data.get("permissions_policy") or []
    if not isinstance(permissions, list) or not all(isinstance(p, str) and re.fullmatch(r"[a-z0-9-]+", p) for p in permissions):
        fail("permissions_policy", "permissions_policy must be a list of feature names, e.g. [camera, microphone]")
        permissions = []
    framing = data.get("framing") or {}
    pages = framing.get("pages") if isinstance(framing, dict) else None
    embeds = framing.get("embeds") if isinstance(framing, dict) else None
    if not isinstance(pages, dict) or not isinstance(embeds, dict):
        fail("framing", "framing needs 'pages' and 'embeds', e.g. embeds: {paths: [/embed/*], frame_ancestors: ['*']}")
        # Reported once: no follow-up messages about the parts of a missing section.
        pages, embeds = {}, {"paths": ["/embed/*"]}
    page_fa = pages.get("frame_ancestors", ["'none'"])
    embed_fa = embeds.get("frame_ancestors", ["*"])
    embed_paths = embeds.get("paths", [])
    for key, value in (("frame_ancestors", page_fa), ("frame_ancestors", embed_fa), ("paths", embed_paths)):
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
            fail(key, f"framing {key} must be a non-empty list, e.g. [\"'none'\"] or [/embed/*]")
    if isinstance(embed_paths, list):
        for pattern in embed_paths:
            if not _is_path_pattern(pattern):
                fail(str(pattern), f"embed path '{pattern}' must start with '/' and contain at most one '*', e.g. /:lang/embed/*")
    caching = data.get("caching") or {}
    immutable = (caching.get("immutable") or []) if isinstance(caching, dict) else None
    if not isinstance(immutable, list):
        fail("caching", "caching needs 'immutable', a list of URL patterns, e.g. immutable: [/assets/stylesheets/*]")
        immutable = []
    for pattern in immutable:
        if not _is_path_pattern(pattern):
            fail(str(pattern), f"immutable path '{pattern}' must start with '/' and contain at most one '*', e.g. /assets/stylesheets/*")
    xfo = str(pages.get("x_frame_options", "DENY"))
    if xfo not in ("DENY", "SAMEORIGIN"):
        fail("x_frame_options", f"x_frame_options must be DENY or SAMEORIGIN, not '{xfo}'")
    policy = Policy(
        csp={str(k): [str(s) for s in v] for k, v in csp.items() if isinstance(v, list)},
        headers={str(k): str(v) for k, v in headers.items()},
        permissions=[str(p) for p in permissions],
        page_frame_ancestors=[str(v) for v in page_fa] if isinstance(page_fa, list) else [],
        page_x_frame_options=xfo,
        embed_paths=[str(p) for p in embed_paths] if isinstance(embed_paths, list) else [],
        embed_frame_ancestors=[str(v) for v in embed_fa] if isinstance(embed_fa, list) else [],
        immutable_paths=[p for p in immutable if _is_path_pattern(p)],
    )
    for name, value in [*policy.headers.items(), ("Permissions-Policy", permissions_value(policy))]:
        if not RE_HEADER_NAME.match(name):
            fail(name, f"'{name}' is not a valid header name (letters, digits and '-')")
        if RE_BAD_VALUE.search(value):
            fail(name, f"header '{name}' has a character that cannot be written safely (quote, backslash, $, newline, non-ASCII)")
    if problems:
        raise ConfigError(problems)
    return policy


def _is_path_pattern(value: object) -> bool:
    """A URL pattern as ``_headers`` writes it: starts with ``/``, at most one ``*``."""
    return isinstance(value, str) and value.startswith("/") and value.count("*") <= 1


def _line_of(text: str, key: str) -> int:
    """Line of the first ``key:`` (or list item) in the YAML text, for messages; 1 if not found."""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip().lstrip("- ").strip("\"'")
        if stripped.startswith(f"{key}:") or stripped.startswith(f'{key}":') or stripped == key:
            return number
    return 1


# ----------------------------------------------------------------------------------------------
# Scanning the built HTML
# ----------------------------------------------------------------------------------------------


def csp_hash(text: str) -> str:
    """CSP source for inline code: ``'sha256-<base64>'`` of its UTF-8 text.

    Browsers hash the text after HTML newline normalisation (CR LF and CR become LF).
    """
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(normalised.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


class _InlineScanner(HTMLParser):
    """Collect inline scripts, inline styles and inline code CSP blocks from one HTML file."""

    def __init__(self, rel: str, found: InlineCode):
        super().__init__(convert_charrefs=True)
        self.rel = rel
        self.found = found
        self._open: str | None = None  # "script" or "style" being collected, else None
        self._chunks: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        line, col = self.getpos()
        for name, value in a.items():
            if name.startswith("on"):
                self._warn(line, col, "Headers.InlineHandler", f"<{tag} {name}=...> {BLOCKED}; add the handler in assets/ww/wegweiser.js")
            elif name in ("href", "src", "action", "formaction") and re.match(r"\s*javascript:", value, re.I):
                self._warn(line, col, "Headers.JavascriptUrl", f'<{tag} {name}="javascript:..."> {BLOCKED}; use a link or a script file')
            elif name == "style" and value.strip():
                self.found.style_attrs.add(csp_hash(value))
        if tag == "script" and not a.get("src") and a.get("type", "").strip().lower() in JS_TYPES:
            self._open, self._chunks = "script", []
        elif tag == "style":
            self._open, self._chunks = "style", []

    def handle_data(self, data):
        if self._open:
            self._chunks.append(data)

    def handle_endtag(self, tag):
        if self._open and tag == self._open:
            target = self.found.scripts if self._open == "script" else self.found.styles
            target.add(csp_hash("".join(self._chunks)))
            self._open = None

    def _warn(self, line: int, col: int, rule: str, message: str) -> None:
        self.found.findings.append(finding(self.rel, line, rule, message, WARNING, col + 1))


# Anything the scanner could report: inline script or style, a style attribute or event handler
# inside a tag (not "style=" in escaped example code), a javascript: URL. A document without any of
# these is not parsed (most pages of the site).
RE_MAY_HAVE_INLINE_CODE = re.compile(
    r"<style"
    r"|<[a-z](?:[^>\"']|\"[^\"]*\"|'[^']*')*?\s(?:style|on[a-z]+)\s*="
    r"|javascript:"
    r"|<script(?![^>]*\ssrc\s*=)(?![^>]*\stype\s*=\s*[\"']?application/(?:ld\+)?json)",
    re.I,
)


def scan_html(text: str, rel: str = "<html>", found: InlineCode | None = None) -> InlineCode:
    """Scan one HTML document for inline code; add to ``found`` (or a new result)."""
    found = found if found is not None else InlineCode()
    if not RE_MAY_HAVE_INLINE_CODE.search(text):
        return found
    scanner = _InlineScanner(rel, found)
    scanner.feed(text)
    scanner.close()
    return found


def scan_site(site_dir: Path) -> InlineCode:
    """Scan every ``*.html`` below ``site_dir`` (sorted, so output is reproducible)."""
    site_dir = Path(site_dir)
    found = InlineCode()
    for path in sorted(site_dir.rglob("*.html")):
        rel = f"site/{path.relative_to(site_dir).as_posix()}"
        scan_html(path.read_text(encoding="utf-8", errors="replace"), rel, found)
    return found


# ----------------------------------------------------------------------------------------------
# Building the header sets
# ----------------------------------------------------------------------------------------------


def permissions_value(policy: Policy) -> str:
    """``camera=(), microphone=(), ...``: every listed feature allowed to nobody."""
    return ", ".join(f"{feature}=()" for feature in policy.permissions)


def csp_value(policy: Policy, inline: InlineCode, frame_ancestors: list[str]) -> str:
    """Build the Content-Security-Policy value, inline hashes added in sorted order."""
    directives = {name: list(sources) for name, sources in policy.csp.items()}
    directives.setdefault("script-src", ["'self'"]).extend(sorted(inline.scripts))
    styles = directives.setdefault("style-src", ["'self'"])
    styles.extend(sorted(inline.styles))
    if inline.style_attrs:
        styles.extend(["'unsafe-hashes'", *sorted(inline.style_attrs)])
    directives["frame-ancestors"] = list(frame_ancestors)
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def header_sets(policy: Policy, inline: InlineCode) -> dict[str, list[tuple[str, str]]]:
    """Build the two header sets, ``page`` and ``embed``, as ordered (name, value) lists."""
    common = list(policy.headers.items())
    if policy.permissions:
        common.append(("Permissions-Policy", permissions_value(policy)))
    page = [(CSP, csp_value(policy, inline, policy.page_frame_ancestors)), (XFO, policy.page_x_frame_options), *common]
    embed = [(CSP, csp_value(policy, inline, policy.embed_frame_ancestors)), *common]
    return {"page": page, "embed": embed}


def pattern_regex(pattern: str) -> str:
    """Turn a ``_headers`` URL pattern into an anchored regex: ``*`` any text, ``:x`` one segment."""
    out = []
    for part in re.split(r"(\*|:[A-Za-z_][A-Za-z0-9_]*)", pattern):
        if part == "*":
            out.append(".*")
        elif part.startswith(":") and len(part) > 1:
            out.append("[^/]+")
        else:
            out.append(re.escape(part))
    return "^" + "".join(out) + "$"


def paths_regex(patterns: list[str]) -> str:
    """One anchored regex for several URL patterns (an nginx ``location ~``)."""
    return "^(?:" + "|".join(pattern_regex(p)[1:-1] for p in patterns) + ")$"


def embed_regex(policy: Policy) -> str:
    """One regex for all embed patterns (used by nginx and by :func:`is_embed`)."""
    return paths_regex(policy.embed_paths)


def is_embed(path: str, policy: Policy) -> bool:
    """Return True when the URL path is an embed page, e.g. ``/ar/embed/anmeldung/termin/``."""
    return bool(policy.embed_paths) and re.match(embed_regex(policy), path) is not None


IMMUTABLE = ("Cache-Control", "public, max-age=31536000, immutable")


def is_immutable(path: str, policy: Policy) -> bool:
    """Return True when ``path`` is a file whose name changes with its content, e.g. ``main.57a0d79d.min.css``."""
    return bool(policy.immutable_paths) and re.match(paths_regex(policy.immutable_paths), path) is not None


def headers_for(path: str, policy: Policy, inline: InlineCode) -> list[tuple[str, str]]:
    """Return the headers a response for ``path`` must carry."""
    headers = header_sets(policy, inline)["embed" if is_embed(path, policy) else "page"]
    return [*headers, IMMUTABLE] if is_immutable(path, policy) else headers


# ----------------------------------------------------------------------------------------------
# Writing the two formats
# ----------------------------------------------------------------------------------------------


def render_headers_file(policy: Policy, inline: InlineCode) -> str:
    """Render the ``_headers`` file (Cloudflare Pages syntax)."""
    sets = header_sets(policy, inline)
    lines = [
        "# Generated by wegweiser/headers.py from data/headers.yml: do not edit.",
        "# Cloudflare Pages: every matching rule applies in order; '! Name' drops an earlier header.",
        "/*",
        *(f"  {name}: {value}" for name, value in sets["page"]),
    ]
    page_only = {name for name, _ in sets["page"]} - set(dict(sets["embed"]))
    for pattern in policy.embed_paths:
        lines.append(pattern)
        lines += [f"  ! {name}" for name in (CSP, *sorted(page_only))]
        lines += [f"  {CSP}: {dict(sets['embed'])[CSP]}"]
    for pattern in policy.immutable_paths:
        lines += [pattern, f"  {IMMUTABLE[0]}: {IMMUTABLE[1]}"]
    return "\n".join(lines) + "\n"


def render_nginx_snippet(policy: Policy, inline: InlineCode) -> str:
    """Render the nginx ``location`` blocks with every header, for inclusion in a ``server`` block."""
    sets = header_sets(policy, inline)

    def block(header: str, pairs: list[tuple[str, str]]) -> list[str]:
        return [f"{header} {{", *(f'    add_header {name} "{value}" always;' for name, value in pairs), "}"]

    lines = [
        "# Generated by wegweiser/headers.py from data/headers.yml: do not edit.",
        "# Include inside server { } (deploy/nginx.conf.j2). Every location lists every header:",
        "# nginx drops inherited add_header lines as soon as a location has its own.",
        *block("location /", sets["page"]),
    ]
    if policy.embed_paths:
        lines += block(f'location ~ "{embed_regex(policy)}"', sets["embed"])
    if policy.immutable_paths:
        lines += block(f'location ~ "{paths_regex(policy.immutable_paths)}"', [*sets["page"], IMMUTABLE])
    lines += ["# Deploy files (_headers, this file), not content.", f"location ^~ /{HEADERS_FILE} {{", "    return 404;", "}"]
    return "\n".join(lines) + "\n"


def render_nginx_conf(template: Path, **values: object) -> str:
    """Render ``deploy/nginx.conf.j2`` (Jinja2) with ``values`` (root, listen, headers_conf, ...)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(Path(template).parent)), undefined=StrictUndefined, keep_trailing_newline=True)
    return env.get_template(Path(template).name).render(**values)


def line_findings(policy: Policy, inline: InlineCode) -> list[Finding]:
    """Header lines too long for Cloudflare Pages (2,000 characters)."""
    out = []
    for name, value in header_sets(policy, inline)["page"]:
        if len(name) + len(value) + 4 > MAX_LINE:
            message = f"'{name}' is {len(value)} characters, over the {MAX_LINE} Cloudflare Pages allows; use fewer distinct inline scripts"
            out.append(finding(f"site/{HEADERS_FILE}", 1, "Headers.LineLength", message, WARNING))
    return out


def write_headers(site_dir: Path, policy_path: Path) -> InlineCode:
    """Scan the built site and write ``_headers`` and ``_headers.nginx.conf`` into it.

    Arguments:
        site_dir: the built site (all languages).
        policy_path: ``data/headers.yml``.

    Returns:
        The scan result; its ``findings`` list inline code that the policy blocks.

    """
    policy = load_policy(Path(policy_path))
    inline = scan_site(Path(site_dir))
    inline.findings.extend(line_findings(policy, inline))
    (Path(site_dir) / HEADERS_FILE).write_text(render_headers_file(policy, inline), encoding="utf-8")
    (Path(site_dir) / NGINX_FILE).write_text(render_nginx_snippet(policy, inline), encoding="utf-8")
    return inline
