"""Import of survey responses from the CSV of FORMATS.md ("Responses import").

Two phases: `parse_responses_file` reads (`reading`) and checks (`checking`) the whole file against
lookups loaded once (no query per row) and keeps the valid rows, de-duplicated (`parsed_file`);
`write_responses` (`writing`) writes them in one transaction with a few set-based statements per
thousand rows. `import_responses` chains both.

Choices the format leaves open:
- A doctor already in the database keeps their profile (status, specialty, region): an import never
  overrides what a doctor declared or staff verified; only an empty region is filled in. Doctors created
  by an import are verified, `verified_by=import`, with the specialty and region of their latest row.
- One response per doctor × product × campaign: the later `submitted_at` wins, within the file (on a tie
  the later line) and against the database (on a tie the stored response stays, so a second import of
  the same file writes nothing). A replaced response keeps its moderation state unless its comment
  changed, in which case the new comment goes back to moderation; a moderator's exclusion stays.
- A campaign created by the import is closed and spans its first to last `submitted_at` (local dates);
  a later import widens a closed campaign's dates to cover its responses. Open and draft campaigns keep
  the dates staff set.
- When `vendor` or `category` is given for a known product it must be the product's own; a new product
  needs both on at least one of its lines, and other lines may leave them empty.
- Columns the format does not know are ignored (the format may gain columns at the end), but a NUL
  byte in any cell makes its row bad; `submitted_at` must fall in 2000–2099.
"""

import time

from surveys.models import Response
from surveys.signals import scores_invalidated

from .checking import parse_responses_file
from .parsed_file import ImportReport, ParsedFile
from .reading import ImportFileError, null_progress
from .writing import write_responses

__all__ = [
    "ImportFileError",
    "ImportReport",
    "ParsedFile",
    "import_responses",
    "parse_responses_file",
    "write_responses",
]


def import_responses(*, path, dry_run=False, skip_invalid=False, progress=null_progress):
    """Check the CSV at `path` and, unless a row is bad (or `skip_invalid`), write it; return the report.

    After a write that changed something, send `scores_invalidated` (reason "import"); a second import
    of the same file changes nothing and sends nothing.
    """
    started = time.perf_counter()
    parsed = parse_responses_file(path=path, progress=progress)
    report = parsed.report
    report.timings["validation"] = time.perf_counter() - started
    if dry_run or (report.errors and not skip_invalid):
        return report
    started = time.perf_counter()
    write_responses(parsed=parsed, progress=progress)
    report.timings["write"] = time.perf_counter() - started
    if report.created or report.updated or report.new_doctors:
        started = time.perf_counter()
        scores_invalidated.send(sender=Response, reason="import")
        report.timings["signal"] = time.perf_counter() - started
    return report
