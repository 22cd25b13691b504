"""Who is asking: the learner behind a request.

A learner is the browser's session until accounts exist. The session stores the learner's id
under "learner_id"; Django keeps session data across the key rotation of a login, so the
accounts issue can adopt the session's learner by setting `Learner.user`.
"""

from __future__ import annotations

import uuid

from django.http import HttpRequest

from paths.models import Learner, LearningPath
from paths.services import learner_create

SESSION_KEY = "learner_id"


def learner_id_for_request(request: HttpRequest) -> uuid.UUID | None:
    """The id the session names, without a query (None when there is none or it is garbled)."""
    value = request.session.get(SESSION_KEY)
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def learner_for_request(request: HttpRequest, *, create: bool) -> Learner | None:
    """The request's learner; with `create`, a new one is made and remembered when needed."""
    learner_id = learner_id_for_request(request)
    if learner_id is not None:
        learner = Learner.objects.filter(pk=learner_id).first()
        if learner is not None:
            return learner
    if not create:
        return None
    learner = learner_create()
    request.session[SESSION_KEY] = str(learner.pk)
    return learner


def is_owner(request: HttpRequest, path: LearningPath) -> bool:
    """True when the request comes from the learner who made the path (no query)."""
    learner_id = learner_id_for_request(request)
    return learner_id is not None and learner_id == path.learner_id
