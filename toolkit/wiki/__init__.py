"""Reading wikis: the site profile (property and class ids of a Wikibase) and the read client.

Shared by the journeys that read a wiki (``extract.reconcile``, ``edits.proposal``); only
``edits.pywikibot_session`` writes, and only it imports pywikibot.
"""

from toolkit.wiki.site import WIKIDATA, WIKIDATA_API, SiteProfile, load_site_profile
from toolkit.wiki.wikibase import WikibaseReader, WikibaseSettings

__all__ = ["WIKIDATA", "WIKIDATA_API", "SiteProfile", "WikibaseReader", "WikibaseSettings",
           "load_site_profile"]
