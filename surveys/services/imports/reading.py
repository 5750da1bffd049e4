"""Reading a responses file: UTF-8 CSV (a BOM is accepted), its header, its rows by line, the progress."""

import contextlib
import csv
import io

from django.utils.translation import gettext as _

from ratings.models import FACET_SLUGS

REQUIRED_COLUMNS = ("rpps", "specialty", "product", "campaign", "submitted_at")
# The doctor's situation (METHODOLOGY.md §10), at the end of the format and optional like the rest.
SITUATION_COLUMNS = (
    "practice_mode",
    "price_paid",
    "price_increased",
    "commitment_months",
    "considering_switch",
    "previous_product",
)
OPTIONAL_COLUMNS = ("region", "vendor", "category", *FACET_SLUGS, "recommend", "comment", *SITUATION_COLUMNS)

# A cell that does not parse, for the checks of checking.py and situation.py.
BAD = object()
# A value quoted in a reason is cut to this many characters: a 10 kB cell makes a readable report.
SHOWN_MAX = 60


def shown(value):
    """Return `value`, cut for quoting in a reason."""
    return value if len(value) <= SHOWN_MAX else value[:SHOWN_MAX] + "…"


# The progress bars are refreshed every this many rows (a per-row update costs more than the row).
PROGRESS_EVERY = 20_000


class ImportFileError(ValueError):
    """The file cannot be imported at all (not UTF-8, header without a required column…)."""


class _NullProgress:
    def update(self, n=1):
        pass

    def close(self):
        pass


def null_progress(**kwargs):
    """Return a progress bar that shows nothing (the default of every phase)."""
    return _NullProgress()


def read_header(reader):
    """Return the header's column names, lower-cased; raise ImportFileError when it cannot be used."""
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(_("The file is empty: a header line is expected.")) from None
    if any("\x00" in name for name in header):
        raise ImportFileError(_("The header line contains a NUL character (\\x00): is this a CSV file?"))
    header = [name.strip().lower() for name in header]
    duplicates = sorted({name for name in header if name and header.count(name) > 1})
    if duplicates:
        raise ImportFileError(_("Column(s) given twice in the header: %(c)s.") % {"c": ", ".join(duplicates)})
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise ImportFileError(
            _("Required column(s) missing from the header line: %(c)s (the header has: %(h)s).")
            % {"c": ", ".join(missing), "h": ", ".join(header)}
        )
    if not any(slug in header for slug in FACET_SLUGS):
        raise ImportFileError(
            _("The header has no facet column: at least one of %(c)s is needed.")
            % {"c": ", ".join(FACET_SLUGS)}
        )
    return header


@contextlib.contextmanager
def open_responses_file(path, *, progress=null_progress):
    """Open the CSV at `path`; yield its header and an iterator of its rows as (line, cells).

    Lines count the header as line 1; blank lines are skipped. A file that is not UTF-8 or not CSV
    raises ImportFileError naming the line. The progress bar counts the bytes read.
    """
    with open(path, "rb") as raw:
        bar = progress(total=_file_size(raw), unit="B", unit_scale=True, desc=_("checking"))
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        try:
            reader = csv.reader(text)
            try:
                header = read_header(reader)
            except (UnicodeDecodeError, csv.Error) as exc:
                raise _file_error(exc, line=1) from exc
            yield header, _rows(reader, raw, bar)
        finally:
            bar.close()
            text.detach()


def _rows(reader, raw, bar):
    line = 1
    last_tell = raw.tell()
    try:
        for line, row in enumerate(reader, start=2):
            if line % PROGRESS_EVERY == 0:
                position = raw.tell()
                bar.update(position - last_tell)
                last_tell = position
            if len(row) <= 1 and not (row and row[0].strip()):
                continue  # a blank line
            yield line, row
    except (UnicodeDecodeError, csv.Error) as exc:
        # `line` is the last line read whole: the error is on the next one.
        raise _file_error(exc, line=line + 1) from exc
    bar.update(raw.tell() - last_tell)


def _file_error(exc, *, line):
    if isinstance(exc, UnicodeDecodeError):
        return ImportFileError(
            _("The file is not UTF-8 text (near line %(line)s): save it as UTF-8 CSV.") % {"line": line}
        )
    return ImportFileError(_("Line %(line)s is not valid CSV: %(error)s") % {"line": line, "error": exc})


def _file_size(raw):
    position = raw.tell()
    size = raw.seek(0, io.SEEK_END)
    raw.seek(position)
    return size
