"""One's own profile and projects."""

from django.db import transaction
from django.utils.translation import gettext as _

from tribu.agents.models import Agent
from tribu.core.errors import PermissionDenied, TribuError

from ..models import (
    Project,
    Visibility,
)
from .common import _require_community, _text

PROJECT_FIELDS = ("title", "description", "skills", "themes", "needs", "visibility")


@transaction.atomic
def update_profile(agent: Agent, *, name: str, bio: str, is_public: bool) -> Agent:
    """One's own name, words about oneself, and whether non-members may see them."""
    agent.name = _text(name, _("name"))[:200]
    agent.bio = (bio or "").strip()
    agent.is_public = bool(is_public)
    agent.save(update_fields=["name", "bio", "is_public"])
    return agent


def save_project(owner: Agent, data: dict, project: Project | None = None) -> Project:
    """Create or edit one's own project."""
    _require_community(owner, _("publish a project"))
    if project is not None and project.owner_id != owner.pk:
        raise PermissionDenied(_("only its owner edits a project"))
    fields = {k: (data.get(k) or "").strip() for k in PROJECT_FIELDS}
    fields["title"] = _text(fields["title"], _("title"))
    fields["visibility"] = fields["visibility"] or Visibility.MEMBERS
    if fields["visibility"] not in Visibility.values:
        raise TribuError(_("visibility: expected “public” or “members”"))
    project = project or Project(platform_id=owner.platform_id, owner=owner)
    for key, value in fields.items():
        setattr(project, key, value)
    project.save()
    return project
