"""The whole main job in one call: validate, JSON-LD, proposal, review reports, QuickStatements.

``toolkit run DIR`` calls each stage's library function in turn and writes every output
atomically into one folder (``out/<mapping name>/`` by default). When that folder already
holds a proposal, review decisions on unchanged operations are carried over to the new
one (:func:`toolkit.edits.review.carry_decisions`). Offline, the wiki is not asked anything: the
proposal says which entities were not checked against it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.errors import ToolkitError
from toolkit.files import write_atomic

if TYPE_CHECKING:  # the edits package is imported by the run itself, not at start-up
    from toolkit.edits.wire import ProposalDoc


@dataclass
class RunSettings:
    """Options of ``toolkit run``."""

    output_dir: Path | None = None
    offline: bool = False
    api_url: str | None = None
    cache_dir: Path | None = None
    site_profile: Path | None = None
    contact: str = ""


@dataclass
class RunResult:
    """Where each output went and the numbers for the final summary."""

    output_dir: Path
    outputs: dict[str, Path] = field(default_factory=dict)
    entities: int = 0
    edits: int = 0
    operations: int = 0
    findings: dict[str, int] = field(default_factory=dict)
    carried: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        """The lines printed at the end of ``toolkit run``."""
        width = max(len(k) for k in self.outputs) if self.outputs else 0
        lines = [f"{self.entities} entities, {self.edits} edits proposed "
                 f"({self.operations} operations), findings: "
                 + ", ".join(f"{k} {v}" for k, v in self.findings.items())]
        if self.carried:
            lines.append(f"{self.carried} review decision(s) carried over from the "
                         "previous proposal")
        lines += [f"  {name:<{width}}  {path}" for name, path in self.outputs.items()]
        lines.append(f"done in {self.seconds:.1f} s")
        return "\n".join(lines)


def default_output_dir(mapping_dir: str | Path) -> Path:
    """Where ``toolkit run`` writes by default: ``out/<mapping folder name>``."""
    return Path("out") / Path(mapping_dir).resolve().name


def run_pipeline(mapping_dir: str | Path, settings: RunSettings,
                 progress: Callable[[str], None] = print) -> RunResult:
    """Run every stage on a mapping folder; raise the first stage's error (nothing half-written)."""
    from toolkit.edits import report
    from toolkit.edits.proposal import ProposeOptions, load_proposal, propose, save_proposal
    from toolkit.edits.quickstatements import export_quickstatements
    from toolkit.edits.review import carry_decisions, findings_by_severity
    from toolkit.mapping.load import load_mapping
    from toolkit.publish import graph as jsonld

    started = time.monotonic()
    out = settings.output_dir or default_output_dir(mapping_dir)
    result = RunResult(output_dir=out)
    steps = 5

    progress(f"[1/{steps}] validating {mapping_dir}")
    mapping = load_mapping(mapping_dir)

    progress(f"[2/{steps}] JSON-LD")
    graph = jsonld.build_graph(mapping)  # once, for both serializations
    compact = jsonld.serialize(graph, jsonld.JsonldSettings(format="compact"))
    snippet = jsonld.serialize(graph, jsonld.JsonldSettings(format="html"))

    where = "offline, not checked against the wiki" if settings.offline else "reading the wiki"
    progress(f"[3/{steps}] proposal ({where})")
    # the mapping validated in step 1, not read and validated again
    proposal = propose(mapping, ProposeOptions(
        offline=settings.offline, api_url=settings.api_url, cache_dir=settings.cache_dir,
        site_profile=settings.site_profile, contact=settings.contact),
        str(mapping_dir))
    previous = out / "proposal.json"
    if previous.exists():
        try:
            result.carried = carry_decisions(load_proposal(previous), proposal)
        except ToolkitError as exc:
            progress(f"  previous proposal not reused ({exc})")

    progress(f"[4/{steps}] review reports")
    html_page = report.render_html(proposal)
    markdown = report.render_markdown(proposal)

    progress(f"[5/{steps}] QuickStatements")
    qs = export_quickstatements(proposal)

    # every stage succeeded: only now write, so a failure leaves the old outputs whole
    result.outputs["JSON-LD"] = write_atomic(out / "jsonld.json", compact)
    result.outputs["JSON-LD snippet"] = write_atomic(out / "jsonld.html", snippet)
    result.outputs["proposal"] = save_proposal(previous, proposal)
    result.outputs["review page"] = write_atomic(out / "review.html", html_page)
    result.outputs["review Markdown"] = write_atomic(out / "review.md", markdown)
    result.outputs["QuickStatements"] = write_atomic(out / "quickstatements.txt", qs.text)
    _count(result, proposal, findings_by_severity(proposal))
    result.seconds = time.monotonic() - started
    return result


def _count(result: RunResult, proposal: ProposalDoc, findings: dict[str, int]) -> None:
    groups = proposal.get("entities", [])
    result.entities = len(groups)
    result.edits = sum(1 for g in groups if g.get("edit"))
    result.operations = sum(len(g.get("operations", [])) for g in groups)
    result.findings = findings
