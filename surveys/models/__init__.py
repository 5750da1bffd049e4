"""The survey's models, by what they hold; import them from here (`from surveys.models import Response`)."""

from .campaigns import Campaign, CampaignQuerySet
from .doctors import (
    ConflictOfInterest,
    DirectoryEntry,
    Doctor,
    DoctorQuerySet,
    PracticeMode,
    Region,
    Specialty,
    rpps_field_validators,
)
from .moderation import CommentReport, CommentReportQuerySet, ModerationEvent, ResponseFlag
from .responses import Response, ResponseQuerySet, facet_answer_field

__all__ = [
    "Campaign",
    "CampaignQuerySet",
    "CommentReport",
    "CommentReportQuerySet",
    "ConflictOfInterest",
    "DirectoryEntry",
    "Doctor",
    "DoctorQuerySet",
    "ModerationEvent",
    "PracticeMode",
    "Region",
    "Response",
    "ResponseFlag",
    "ResponseQuerySet",
    "Specialty",
    "facet_answer_field",
    "rpps_field_validators",
]
