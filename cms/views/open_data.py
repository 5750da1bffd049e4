"""The open-data page (/donnees/) and its downloads: every published campaign's files, their checksums, the licence."""

import json
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from analytics import open_data

CONTENT_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".py": "text/x-python; charset=utf-8",
}
SCRIPT = Path(settings.BASE_DIR) / "scripts" / "reproduce_scores.py"


def _dataset(request, manifest):
    """The schema.org Dataset of one campaign's open data."""
    campaign = manifest["campaign"]
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": f"Observatoire des logiciels médicaux — {manifest['title']}",
        "description": (
            "Scores of e-health software given by verified self-employed doctors, weighted to their population, "
            "with 95 % intervals, and the weighted sums that let anyone recompute them."
        ),
        "url": request.build_absolute_uri(reverse("cms:open_data") + f"#{campaign}"),
        "identifier": campaign,
        "license": manifest["licence_url"],
        "isAccessibleForFree": True,
        "creator": {"@type": "Organization", "name": "Observatoire des logiciels médicaux"},
        "temporalCoverage": f"{manifest['opens_on']}/{manifest['closes_on']}",
        "dateModified": manifest["generated_at"],
        "version": str(manifest["methodology_version"]),
        "inLanguage": "fr",
        "distribution": [
            {
                "@type": "DataDownload",
                "name": f["name"],
                "description": f"{f['description']} SHA-256 {f['sha256']}.",
                "encodingFormat": CONTENT_TYPES[Path(f["name"]).suffix].split(";")[0],
                "contentSize": f"{f['bytes']} B",
                "contentUrl": request.build_absolute_uri(
                    reverse("cms:open_data_file", args=[campaign, f["name"]])
                ),
            }
            for f in manifest["files"]
        ],
    }


@require_safe
def index(request):
    manifests = open_data.manifests(settings.OPEN_DATA_ROOT)
    datasets = [_dataset(request, m) for m in manifests]
    # JSON-LD inside <script>: no "<" may close the element early.
    json_ld = json.dumps(datasets, ensure_ascii=False).replace("<", "\\u003c")
    return render(
        request,
        "cms/open_data.html",
        {
            "manifests": manifests,
            "json_ld": json_ld,
            "licence": open_data.LICENCE,
            "licence_url": open_data.LICENCE_URL,
            "example": manifests[0]["campaign"] if manifests else None,
        },
    )


@require_safe
def download(request, campaign, name):
    """One file of a campaign's open data, from the complete folder the manifest describes."""
    manifest = open_data.read_manifest(settings.OPEN_DATA_ROOT, campaign)
    names = {f["name"] for f in manifest["files"]} | {open_data.MANIFEST} if manifest else set()
    if name not in names:
        raise Http404("No such open-data file.")
    try:
        stream = open(Path(settings.OPEN_DATA_ROOT) / campaign / name, "rb")  # noqa: SIM115 (FileResponse closes it)
    except OSError:
        raise Http404("No such open-data file.") from None
    response = FileResponse(stream, as_attachment=True, filename=f"{campaign}-{name}")
    response["Content-Type"] = CONTENT_TYPES[Path(name).suffix]
    response["Access-Control-Allow-Origin"] = "*"  # notebooks and other sites read them directly
    return response


@require_safe
def reproduction_script(request):
    response = FileResponse(open(SCRIPT, "rb"), as_attachment=True, filename=SCRIPT.name)  # noqa: SIM115
    response["Content-Type"] = CONTENT_TYPES[".py"]
    return response
