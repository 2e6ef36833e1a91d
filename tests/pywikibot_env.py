"""Run pywikibot 11 against the loopback Wikibase: private base dir, generated family, login.

What we learned getting pywikibot to talk to tests/wikibase_server.py (reused in
toolkit/edits/pywikibot_session.py; the smoke tests in tests/test_pywikibot_smoke.py prove
each point):

* pywikibot reads its configuration ONCE per process, when ``pywikibot`` is first imported:
  ``PYWIKIBOT_DIR`` must be set before that, and that directory must hold a
  ``user-config.py`` (else pywikibot falls back to the current directory and drops
  ``apicache/``, ``throttle.ctrl``, ``pywikibot-*.lwp`` cookies and logs there). conftest.py
  calls :func:`use_private_base_dir` at collection time so every in-process test shares one
  throw-away directory; :func:`write_base_dir` builds a complete stand-alone directory for a
  subprocess (``PYWIKIBOT_DIR=... python ...``), which is what a production run should do.
* A custom Wikibase needs a family *file* (pywikibot imports it by path from
  ``config.family_files[name]``; the family name must be letters and digits only):
  ``class Family(family.DefaultWikibaseFamily, family.SingleSiteFamily)`` with ``name``,
  ``domain`` = ``host:port`` (a port in the domain works), ``protocol()`` -> ``'http'`` and
  ``scriptpath()`` -> ``'/w'``. ``WikibaseFamily.interface()`` makes ``pywikibot.Site()``
  a ``DataSite``; ``entity_sources()`` = ``{}`` keeps items and properties on the same site.
  ``DefaultWikibaseFamily`` supplies the calendar model and globes that WbTime and
  coordinates need. :func:`family_source` writes such a file; a bare ``AutoFamily`` URL reads
  items but fails on claims.
* Families are cached per process by name, so every server port gets its own family name
  (``loopback<port>``); never reuse a name for a different URL.
* What the wiki must answer (see the server's module list): ``meta=siteinfo`` (general with
  ``generator`` "MediaWiki 1.43.0", namespaces with ``defaultcontentmodel``
  ``wikibase-item``/``wikibase-property`` - that is how pywikibot finds the item namespace -,
  namespacealiases), ``meta=userinfo``, ``meta=tokens`` (login and csrf), ``action=login``,
  ``paraminfo`` for the modules it uses, then ``wbgetentities`` / ``wbeditentity``.
* Login: ``config.usernames[family][code] = 'User'`` plus a ``password_file`` line
  ``('User', BotPassword('app', 'secret'))``; pywikibot then sends ``lgname=User@app``.
  The password file must not be world-readable (pywikibot checks the permissions: 0o600).
* maxlag: pywikibot 11.8+ has ``read_maxlag`` (default 30, sent on reads) and
  ``write_maxlag`` (default 5, sent on writes); a ``maxlag`` line in user-config.py is
  deprecated and only warns. Writes also carry ``assert=user``, ``bot``, ``baserevid``,
  ``summary`` and the csrf ``token``.
* user-config.py values are type-checked against the defaults: ``retry_wait``/``retry_max``
  must be ints there (set floats on ``pywikibot.config`` at run time if needed).
* Login asks ``paraminfo`` for ``main|paraminfo|query`` then ``query+tokens`` and requests
  every token type listed; the ``query`` module must declare a ``generator`` parameter or
  pywikibot raises ``RuntimeError``. It may check the account with ``list=allusers``.
* Speed: ``put_throttle = 0`` and small ``retry_wait``/``retry_max`` keep tests fast;
  pywikibot sleeps on maxlag for the ``Retry-After`` seconds (at least), so inject
  ``retry_after=1`` in tests.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.wikibase_server import WikibaseServer

BOT_USER = "User"
BOT_APP = "app"
BOT_PASSWORD = "secret-bot-password"  # matches WikibaseServer.reset()'s test account

USER_CONFIG = """\
# Generated for the tests: a private pywikibot base directory (see tests/pywikibot_env.py).
family = {family!r}
mylang = {family!r}
put_throttle = 0
minthrottle = 0
maxthrottle = 1
write_maxlag = 5
max_retries = {max_retries}
retry_wait = {retry_wait}
retry_max = {retry_max}
socket_timeout = {socket_timeout}
password_file = 'passwords.py'
noisysleep = 600.0
log = []
"""


def family_source(name: str, api_url: str) -> str:
    """Python source of a pywikibot family file for one Wikibase at ``api_url``."""
    from urllib.parse import urlsplit

    parts = urlsplit(api_url)
    scriptpath = parts.path.rsplit("/", 1)[0]  # '/w/api.php' -> '/w'
    return f'''"""pywikibot family for the Wikibase at {api_url} (generated)."""
from pywikibot import family


class Family(family.DefaultWikibaseFamily, family.SingleSiteFamily):
    name = {name!r}
    domain = {parts.netloc!r}

    def protocol(self, code):
        return {parts.scheme!r}

    def scriptpath(self, code):
        return {scriptpath!r}
'''


def use_private_base_dir() -> Path:
    """Point ``PYWIKIBOT_DIR`` at a fresh temporary directory, before pywikibot is imported."""
    if "pywikibot" in sys.modules:
        return Path(sys.modules["pywikibot"].config.base_dir)
    base = Path(tempfile.mkdtemp(prefix="pywikibot-tests-"))
    atexit.register(shutil.rmtree, base, True)
    _write_config(base, family="wikidata")
    os.environ["PYWIKIBOT_DIR"] = str(base)
    os.environ.pop("PYWIKIBOT_NO_USER_CONFIG", None)
    return base


def _write_config(base: Path, family: str, max_retries: int = 3, retry_wait: int = 1,
                  retry_max: int = 2, socket_timeout: int = 5) -> None:
    (base / "families").mkdir(parents=True, exist_ok=True)
    (base / "user-config.py").write_text(USER_CONFIG.format(
        family=family, max_retries=max_retries, retry_wait=retry_wait, retry_max=retry_max,
        socket_timeout=socket_timeout), encoding="utf-8")
    passwords = base / "passwords.py"
    passwords.write_text(f"({BOT_USER!r}, BotPassword({BOT_APP!r}, {BOT_PASSWORD!r}))\n",
                         encoding="utf-8")
    passwords.chmod(0o600)


def write_base_dir(directory: Path, server: WikibaseServer, **config: Any) -> dict[str, str]:
    """A stand-alone base dir for a subprocess; returns the environment to run it with."""
    name = family_name(server)
    _write_config(directory, family=name, **config)
    family_file = directory / "families" / f"{name}_family.py"
    family_file.write_text(family_source(name, server.api_url), encoding="utf-8")
    with (directory / "user-config.py").open("a", encoding="utf-8") as handle:
        handle.write(f"family_files[{name!r}] = {str(family_file)!r}\n")
        handle.write(f"usernames[{name!r}][{name!r}] = {BOT_USER!r}\n")
    env = dict(os.environ)
    env["PYWIKIBOT_DIR"] = str(directory)
    env.pop("PYWIKIBOT_NO_USER_CONFIG", None)
    return env


def family_name(server: WikibaseServer) -> str:
    return f"loopback{server.port}"


@dataclass
class LoopbackPywikibot:
    """pywikibot wired to one running :class:`WikibaseServer`, in this process."""

    server: WikibaseServer
    family: str

    def site(self) -> Any:
        """The ``DataSite`` (created on first use; pywikibot caches it per process)."""
        import pywikibot

        return pywikibot.Site(self.family, self.family)

    def login(self) -> Any:
        site = self.site()
        site.login()
        return site


def connect(server: WikibaseServer, user: str = BOT_USER) -> LoopbackPywikibot:
    """Register a family for ``server`` in the running pywikibot and set the bot's user name."""
    import pywikibot
    from pywikibot import config

    name = family_name(server)
    family_file = Path(config.base_dir) / "families" / f"{name}_family.py"
    if not family_file.exists():
        family_file.parent.mkdir(parents=True, exist_ok=True)
        family_file.write_text(family_source(name, server.api_url), encoding="utf-8")
    config.family_files[name] = str(family_file)
    config.usernames[name][name] = user
    # A new server on a port seen before (rare) must not reuse a stale cached site.
    for key in [k for k in pywikibot._sites if name in k]:
        del pywikibot._sites[key]
    return LoopbackPywikibot(server, name)
