"""Bootstrap a mapping from an article: organizations, the ``init`` draft, reconciliation.

Citations have their own package, :mod:`toolkit.citations`.
"""

from toolkit.extract.bootstrap import InitSettings, init_mapping
from toolkit.extract.organizations import extract_organizations, find_candidates
from toolkit.extract.reconcile import ReconcileSettings, reconcile_mapping

__all__ = ["InitSettings", "ReconcileSettings", "extract_organizations", "find_candidates",
           "init_mapping", "reconcile_mapping"]
