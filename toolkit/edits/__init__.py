"""Propose, review and apply Wikidata edits: the maintainers' journey.

mapping + current items (``toolkit.wiki``) → ``desired`` state → ``diff`` → ``qa`` →
``proposal`` (a file) → ``review`` decisions → ``quickstatements`` export or ``apply``
(``apply_plan``: the calls, a dry run; ``apply_live``: re-check, write, ``apply_log``;
``pywikibot_session``: the only pywikibot user) → ``undo``. ``wire`` types the proposal's
JSON (``schemas/proposal.schema.json``) for every stage.
"""

from toolkit.edits.apply import ApplySettings, apply_proposal
from toolkit.edits.proposal import ProposeOptions, load_proposal, propose, save_proposal
from toolkit.edits.quickstatements import export_quickstatements
from toolkit.edits.review import ReviewOptions, decide, review_file
from toolkit.edits.undo import undo_log

__all__ = ["ApplySettings", "ProposeOptions", "ReviewOptions", "apply_proposal", "decide",
           "export_quickstatements", "load_proposal", "propose", "review_file", "save_proposal",
           "undo_log"]
