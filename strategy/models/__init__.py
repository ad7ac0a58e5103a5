"""Content models for the strategy site. Import them from here."""

from strategy.models.action_plan import ActionPlanItem, Board, ProgressUpdate
from strategy.models.change_notes import ChangeNote
from strategy.models.news import NewsPost
from strategy.models.old_slugs import OldSlug
from strategy.models.pages import Page
from strategy.models.previews import PreviewLink
from strategy.models.strategy import (
    Ambition,
    ChildRight,
    ParentCarerCommitment,
    Priority,
    RelatedStrategy,
    Strategy,
    VisionStatement,
)

__all__ = [
    "ActionPlanItem",
    "Ambition",
    "Board",
    "ChangeNote",
    "ChildRight",
    "NewsPost",
    "OldSlug",
    "Page",
    "PreviewLink",
    "ParentCarerCommitment",
    "Priority",
    "ProgressUpdate",
    "RelatedStrategy",
    "Strategy",
    "VisionStatement",
]
