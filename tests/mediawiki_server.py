"""A real MediaWiki (Debian's ``mediawiki`` package, 1.39) on 127.0.0.1 for tests.

Each :meth:`MediaWiki.start` makes a throw-away wiki in a fresh temporary directory:

1. ``php maintenance/install.php`` with SQLite (``--dbtype sqlite --dbpath TMP/db``), content
   language ``ar`` (a stand-in for Arabic Wikipedia) and an admin account; LocalSettings.php is
   written to TMP (``--confpath``), never to /etc/mediawiki or /usr/share/mediawiki. MediaWiki
   finds it through the ``MW_CONFIG_FILE`` environment variable (honoured by
   includes/BootstrapHelperFunctions.php for web requests and maintenance scripts alike).
2. TMP/TestSettings.php (included from LocalSettings.php) loads the bundled Cite and
   ParserFunctions extensions (/usr/share/mediawiki/extensions-core), turns off everything
   that could reach the network (InstantCommons, pingback, e-mail, uploads) and, unless
   ``disambiguator=False``, emulates the Disambiguator extension's ``__DISAMBIG__`` magic word
   so ``prop=pageprops`` reports ``disambiguation`` as on Wikipedia (Debian does not package
   Disambiguator).
3. Every ``*.xml`` in the fixtures directory (MediaWiki export dumps, sorted by name) is
   imported with ``maintenance/importDump.php``, then ``runJobs.php`` and ``initSiteStats.php``.
   importDump is used rather than the edit API: it needs no login or token, keeps the dump's
   timestamps and authors, runs in one process (well under a second) and fails loudly.
4. ``php -S 127.0.0.1:PORT -t /usr/share/mediawiki`` serves ``/api.php`` and ``/index.php``
   (no router script needed); :meth:`MediaWiki.start` returns once
   ``api.php?action=query&meta=siteinfo`` answers, and stops the server (its whole process
   group) on exit.

The core needs only the standard library (urllib, with proxies from the environment ignored:
requests go to 127.0.0.1 only). :func:`mediawiki_fixture` makes a pytest fixture of it.

Debian packages (see ci-snippet.sh)::

    apt-get install -y --no-install-recommends mediawiki php-cli php-sqlite3 php-mbstring \\
        php-xml php-intl php8.2-cgi micro-httpd

(``php8.2-cgi`` and ``micro-httpd`` only satisfy the package's ``php`` and ``httpd``
dependencies, so apt does not pull in Apache; neither is started.)

Environment: ``MEDIAWIKI_DIR`` (default /usr/share/mediawiki), ``MEDIAWIKI_PHP`` (default
``php`` on PATH), ``MEDIAWIKI_KEEP=1`` keeps the temporary directory (its path is printed)
for debugging; TMP/server.log has the PHP server's log.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIXTURES_DIR = Path(__file__).parent / "fixtures" / "mediawiki"
MEDIAWIKI_DIR = Path(os.environ.get("MEDIAWIKI_DIR", "/usr/share/mediawiki"))
APT_PACKAGES = ("mediawiki", "php-cli", "php-sqlite3", "php-mbstring", "php-xml", "php-intl",
                "php8.2-cgi", "micro-httpd")
INSTALL_HINT = ("install Debian's packages: apt-get install -y --no-install-recommends "
                + " ".join(APT_PACKAGES))
# php -m names of the PHP modules MediaWiki needs here, and the package that brings each.
PHP_MODULES = {"pdo_sqlite": "php-sqlite3", "mbstring": "php-mbstring", "dom": "php-xml",
               "xml": "php-xml", "intl": "php-intl"}
EXTENSIONS = ("Cite", "ParserFunctions")
USER_AGENT = "wikidata-publishing-toolkit-tests/1.0 (tests/mediawiki_server.py; loopback only)"

ADMIN_USER = "Admin"
ADMIN_PASSWORD = "Fixture-admin-password-1"  # a throw-away loopback wiki, not a secret
SITENAME = "ويكيبيديا"  # as on arwiki: the project namespace (4) is then ويكيبيديا
DBNAME = "testwiki"


class MediaWikiUnavailable(RuntimeError):
    """php or the mediawiki package is missing; the message names the apt packages."""


class MediaWikiError(RuntimeError):
    """Installing, importing into or starting the wiki failed; the message has the output."""


def _php() -> str | None:
    return os.environ.get("MEDIAWIKI_PHP") or shutil.which("php")


def missing_requirements(mediawiki_dir: Path = MEDIAWIKI_DIR) -> str | None:
    """Why a wiki cannot be started here (with the apt command that fixes it), or None."""
    php = _php()
    if php is None:
        return f"php not found; {INSTALL_HINT}"
    if not (mediawiki_dir / "maintenance" / "install.php").is_file():
        return f"MediaWiki not found in {mediawiki_dir}; {INSTALL_HINT}"
    try:
        out = subprocess.run([php, "-m"], capture_output=True, text=True, timeout=30,
                             check=True).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        return f"{php} -m failed ({exc}); {INSTALL_HINT}"
    have = {line.strip().lower() for line in out.splitlines()}
    missing = sorted({pkg for mod, pkg in PHP_MODULES.items() if mod not in have})
    if missing:
        return (f"PHP modules missing (packages {', '.join(missing)}); {INSTALL_HINT}")
    for ext in EXTENSIONS:
        if not _extension_json(mediawiki_dir, ext).is_file():
            return f"MediaWiki extension {ext} not found under {mediawiki_dir}; {INSTALL_HINT}"
    return None


def _extension_json(mediawiki_dir: Path, name: str) -> Path:
    # Debian ships the bundled extensions in extensions-core/ (extensions/ is a symlink to an
    # empty /var/lib/mediawiki/extensions for locally added ones).
    for sub in ("extensions-core", "extensions"):
        path = mediawiki_dir / sub / name / "extension.json"
        if path.is_file():
            return path
    return mediawiki_dir / "extensions-core" / name / "extension.json"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _php_string(value: str) -> str:
    """A PHP single-quoted string literal."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.splitlines()[-lines:])


@dataclass
class Revision:
    """The current revision of a page, as ``prop=revisions`` (formatversion=2) gives it."""

    title: str  # after redirects were followed
    pageid: int
    revid: int
    timestamp: str  # ISO 8601, "2024-01-21T12:00:00Z"
    content: str
    redirected_from: str | None = None


@dataclass
class MediaWiki:
    """A running throw-away wiki; make one with :meth:`start`."""

    workdir: Path
    port: int
    mediawiki_dir: Path = MEDIAWIKI_DIR
    lang: str = "ar"
    admin_user: str = ADMIN_USER
    admin_password: str = ADMIN_PASSWORD
    timings: dict[str, float] = field(default_factory=dict)  # seconds, per step
    _process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    # ----------------------------------------------------------------- addresses

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api.php"

    @property
    def index_url(self) -> str:
        return f"{self.base_url}/index.php"

    @property
    def config_file(self) -> Path:
        return self.workdir / "LocalSettings.php"

    # ----------------------------------------------------------------- life cycle

    @classmethod
    @contextlib.contextmanager
    def start(cls, fixtures_dir: Path | str | None = FIXTURES_DIR, *, lang: str = "ar",
              disambiguator: bool = True, workers: int = 1, timeout: float = 60.0,
              keep: bool | None = None,
              mediawiki_dir: Path = MEDIAWIKI_DIR) -> Iterator[MediaWiki]:
        """Install, import ``fixtures_dir/*.xml`` (None: import nothing), serve; stop on exit.

        ``workers`` > 1 sets PHP_CLI_SERVER_WORKERS (parallel requests). ``keep`` (default:
        the MEDIAWIKI_KEEP environment variable) keeps the temporary directory.
        """
        problem = missing_requirements(mediawiki_dir)
        if problem:
            raise MediaWikiUnavailable(problem)
        if keep is None:
            keep = os.environ.get("MEDIAWIKI_KEEP", "") not in ("", "0")
        workdir = Path(tempfile.mkdtemp(prefix="mediawiki-test-"))
        wiki = cls(workdir=workdir, port=_free_port(), mediawiki_dir=mediawiki_dir, lang=lang)
        started = time.monotonic()
        try:
            wiki._install(disambiguator=disambiguator)
            if fixtures_dir is not None:
                dumps = sorted(Path(fixtures_dir).glob("*.xml"))
                if not dumps:
                    raise MediaWikiError(f"no *.xml export dumps in {fixtures_dir}")
                wiki.import_xml(*dumps)
            wiki._serve(workers=workers, timeout=timeout)
            wiki.timings["total"] = time.monotonic() - started
            yield wiki
        finally:
            wiki.stop()
            if keep:
                print(f"mediawiki_server: kept {workdir}")
            else:
                shutil.rmtree(workdir, ignore_errors=True)

    def stop(self) -> None:
        """Stop the PHP server (its process group: the workers too). Idempotent."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)

    # ----------------------------------------------------------------- steps

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["MW_CONFIG_FILE"] = str(self.config_file)
        env["MW_INSTALL_PATH"] = str(self.mediawiki_dir)
        return env

    def run_maintenance(self, script: str, *args: str, timeout: float = 300) -> str:
        """Run ``php maintenance/SCRIPT.php ARGS`` against this wiki; return its output."""
        php = _php()
        assert php is not None
        cmd = [php, str(self.mediawiki_dir / "maintenance" / f"{script}.php"), *args]
        try:
            done = subprocess.run(cmd, cwd=self.mediawiki_dir, env=self._env(),
                                  capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise MediaWikiError(f"{script}.php timed out after {timeout} s") from exc
        output = done.stdout + done.stderr
        # Maintenance scripts print PHP warnings and fatal errors but may still exit 0.
        if done.returncode != 0 or "PHP Fatal error" in output or "Fatal error:" in output:
            raise MediaWikiError(f"{' '.join(cmd)} failed (exit {done.returncode}):\n"
                                 f"{_tail(output)}")
        return output

    def _install(self, *, disambiguator: bool) -> None:
        started = time.monotonic()
        (self.workdir / "db").mkdir()
        for sub in ("cache", "images", "tmp"):
            (self.workdir / sub).mkdir()
        self.run_maintenance(
            "install", "--dbtype", "sqlite", "--dbpath", str(self.workdir / "db"),
            "--dbname", DBNAME, "--server", self.base_url, "--scriptpath", "",
            "--lang", self.lang, "--pass", self.admin_password,
            "--confpath", str(self.workdir), "--skins", "Vector", SITENAME, self.admin_user)
        if not self.config_file.is_file():
            raise MediaWikiError(f"install.php wrote no {self.config_file}")
        self._write_test_settings(disambiguator=disambiguator)
        with self.config_file.open("a", encoding="utf-8") as fh:
            fh.write("\n# Added by tests/mediawiki_server.py\n"
                     "require_once __DIR__ . '/TestSettings.php';\n")
        self.timings["install"] = time.monotonic() - started

    def _write_test_settings(self, *, disambiguator: bool) -> None:
        w = self.workdir
        lines = [
            "<?php",
            "// Written by tests/mediawiki_server.py for a throw-away loopback test wiki.",
            "if ( !defined( 'MEDIAWIKI' ) ) { exit; }",
            f"$wgServer = {_php_string(self.base_url)};",
            "$wgCanonicalServer = $wgServer;",
            *(f"wfLoadExtension( {_php_string(name)}, "
              f"{_php_string(str(_extension_json(self.mediawiki_dir, name)))} );"
              for name in EXTENSIONS),
            "// Nothing may reach the network: no shared media, pingback, mail or uploads.",
            "$wgUseInstantCommons = false;",
            "$wgForeignFileRepos = [];",
            "$wgPingback = false;",
            "$wgEnableEmail = false;",
            "$wgEnableUserEmail = false;",
            "$wgEmailAuthentication = false;",
            "$wgEnableUploads = false;",
            "$wgAllowCopyUploads = false;",
            "$wgUseImageMagick = false;",
            "$wgAllowExternalImages = false;",
            "$wgEnableDnsBlacklist = false;",
            "// Deterministic: jobs run only when the harness runs runJobs.php.",
            "$wgJobRunRate = 0;",
            "$wgRunJobsAsync = false;",
            "$wgPasswordAttemptThrottle = [];",
            "$wgShowExceptionDetails = true;",
            "$wgLocaltimezone = 'UTC';",
            f"$wgCacheDirectory = {_php_string(str(w / 'cache'))};",
            f"$wgUploadDirectory = {_php_string(str(w / 'images'))};",
            f"$wgTmpDirectory = {_php_string(str(w / 'tmp'))};",
            "// MediaWiki.set_lag(): a replication lag for maxlag, read from TMP/fake-lag.",
            "$wgHooks['ApiMaxLagInfo'][] = static function ( array &$lagInfo ) {",
            "\t$file = __DIR__ . '/fake-lag';",
            "\tif ( is_file( $file ) ) {",
            "\t\t$lagInfo = [ 'host' => 'db-fixture', 'lag' => (float)trim( "
            "file_get_contents( $file ) ), 'type' => 'db' ];",
            "\t}",
            "};",
        ]
        if disambiguator:
            magic = w / "FixtureDisambiguator.i18n.magic.php"
            magic.write_text(
                "<?php\n// The Disambiguator extension's magic word, for the test wiki.\n"
                "$magicWords = [];\n"
                "$magicWords['en'] = [ 'disambiguation' => [ 0, '__DISAMBIG__' ] ];\n"
                "$magicWords['ar'] = [ 'disambiguation' => [ 0, '__توضيح__', '__DISAMBIG__' ] ];\n",
                encoding="utf-8")
            lines += [
                "// Emulates Extension:Disambiguator (not packaged by Debian): __DISAMBIG__ sets",
                "// the 'disambiguation' page property, which prop=pageprops reports.",
                f"$wgExtensionMessagesFiles['FixtureDisambiguatorMagic'] = "
                f"{_php_string(str(magic))};",
                "$wgHooks['GetDoubleUnderscoreIDs'][] = static function ( array &$ids ) {",
                "\t$ids[] = 'disambiguation';",
                "};",
            ]
        (w / "TestSettings.php").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def import_xml(self, *dumps: Path | str) -> None:
        """Import MediaWiki export dumps, then run the jobs and refresh the site statistics."""
        started = time.monotonic()
        for dump in dumps:
            out = self.run_maintenance("importDump", str(dump))
            if "Done!" not in out:
                raise MediaWikiError(f"importDump.php {dump} did not finish:\n{_tail(out)}")
        self.run_maintenance("runJobs")
        self.run_maintenance("initSiteStats", "--update")
        self.timings["import"] = self.timings.get("import", 0.0) + time.monotonic() - started

    def _serve(self, *, workers: int, timeout: float) -> None:
        php = _php()
        assert php is not None
        started = time.monotonic()
        log = self.workdir / "server.log"
        for attempt in range(3):
            env = self._env()
            if workers > 1:
                env["PHP_CLI_SERVER_WORKERS"] = str(workers)
            with log.open("ab") as fh:
                self._process = subprocess.Popen(
                    [php, "-d", "display_errors=stderr", "-S", f"127.0.0.1:{self.port}",
                     "-t", str(self.mediawiki_dir)],
                    cwd=self.mediawiki_dir, env=env, stdin=subprocess.DEVNULL, stdout=fh,
                    stderr=subprocess.STDOUT, start_new_session=True)
            if self._wait_until_up(timeout):
                self.timings["server_start"] = time.monotonic() - started
                return
            server_log = log.read_text(encoding="utf-8", errors="replace")
            self.stop()
            if "Address already in use" in server_log and attempt < 2:
                self.port = _free_port()  # lost the race for the port: try another one
                self._write_port()
                continue
            raise MediaWikiError(f"php -S on {self.base_url} did not answer "
                                 f"meta=siteinfo within {timeout} s; {log}:\n"
                                 f"{_tail(server_log)}")

    def _write_port(self) -> None:
        settings = self.workdir / "TestSettings.php"
        lines = settings.read_text(encoding="utf-8").splitlines()
        lines = [f"$wgServer = {_php_string(self.base_url)};" if line.startswith("$wgServer =")
                 else line for line in lines]
        settings.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def _wait_until_up(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process is None or self._process.poll() is not None:
                return False
            try:
                data = self.api({"action": "query", "meta": "siteinfo"}, timeout=10)
                if "query" in data:
                    return True
            except (OSError, ValueError):
                pass
            time.sleep(0.05)
        return False

    def set_lag(self, seconds: float | None) -> None:
        """Make the wiki report this database lag to ``maxlag`` (None: back to no lag).

        With ``maxlag=5`` and a lag of 7 s the API answers a real ``maxlag`` error (HTTP 200,
        ``Retry-After: 5``, ``X-Database-Lag: 7``), as a lagged Wikipedia does.
        """
        path = self.workdir / "fake-lag"
        if seconds is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(f"{seconds}\n", encoding="ascii")

    # ----------------------------------------------------------------- client

    def api(self, params: Mapping[str, Any], *, post: bool = False,
            timeout: float = 30.0) -> dict[str, Any]:
        """Call api.php with ``format=json&formatversion=2`` added; return the decoded JSON.

        API errors are returned, not raised (``{"error": {...}}``), as the wiki sent them.
        """
        query = {"format": "json", "formatversion": "2", **params}
        data = urllib.parse.urlencode(query).encode() if post else None
        url = self.api_url if post else f"{self.api_url}?{urllib.parse.urlencode(query)}"
        request = urllib.request.Request(url, data=data, headers={"User-Agent": USER_AGENT})
        # ProxyHandler({}): never route through an http_proxy from the environment.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(request, timeout=timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            body = exc.read()
        result: dict[str, Any] = json.loads(body)
        return result

    def revision_of(self, title: str) -> Revision | None:
        """The current revision of ``title`` (redirects followed), or None if it is missing."""
        data = self.api({"action": "query", "prop": "revisions",
                         "rvprop": "ids|content|timestamp", "rvslots": "main",
                         "titles": title, "redirects": "1", "maxlag": "5"})
        if "error" in data:
            raise MediaWikiError(f"revision_of({title!r}): {data['error']}")
        query = data["query"]
        page = query["pages"][0]
        if page.get("missing") or page.get("invalid") or not page.get("revisions"):
            return None
        rev = page["revisions"][0]
        redirects = query.get("redirects") or []
        return Revision(title=page["title"], pageid=page["pageid"], revid=rev["revid"],
                        timestamp=rev["timestamp"], content=rev["slots"]["main"]["content"],
                        redirected_from=redirects[0]["from"] if redirects else None)

    def parse(self, title: str) -> dict[str, Any]:
        """``action=parse&prop=text|revid`` for ``title``: {"title", "pageid", "revid", "text"}."""
        data = self.api({"action": "parse", "page": title, "prop": "text|revid",
                         "redirects": "1", "maxlag": "5"})
        if "error" in data:
            raise MediaWikiError(f"parse({title!r}): {data['error']}")
        parsed: dict[str, Any] = data["parse"]
        return parsed


def require_mediawiki(mediawiki_dir: Path = MEDIAWIKI_DIR) -> None:
    """In a test: fail (never skip) without php/mediawiki, naming the apt packages to install.

    The project's rule is that a missing tool fails a test with an install hint; .ci/run
    installs the packages.
    """
    import pytest

    problem = missing_requirements(mediawiki_dir)
    if problem:
        pytest.fail(f"{problem} (bash .ci/run installs them)", pytrace=False)


def mediawiki_fixture(fixtures_dir: Path | str | None = FIXTURES_DIR, *,
                      name: str = "mediawiki", scope: str = "session",
                      **options: Any) -> Callable[..., Any]:
    """A pytest fixture yielding a running :class:`MediaWiki` (one per ``scope``).

    In a conftest.py: ``mediawiki = mediawiki_fixture()``. Without php or the mediawiki
    package the tests that use it fail with the apt command to run (no skip).
    """
    import pytest

    @pytest.fixture(scope=scope, name=name)  # type: ignore[call-overload,untyped-decorator,unused-ignore]
    def _mediawiki() -> Iterator[MediaWiki]:
        require_mediawiki(options.get("mediawiki_dir", MEDIAWIKI_DIR))
        with MediaWiki.start(fixtures_dir, **options) as wiki:
            yield wiki

    return _mediawiki  # type: ignore[no-any-return,unused-ignore]
