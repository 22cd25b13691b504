"""Who is asking: the learner behind a request.

A learner is the browser's session until they sign up, and then their account's learner. The
session stores the learner's id under "learner_id" either way, so telling whether a request
comes from a path's owner costs no query. Signing up or logging in (accounts/views.py) calls
`adopt_session_learner`: the account's learner takes over what the session's guest learner had,
and the session then names the account's learner. Logging out flushes the session, and with
it the learner.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

from paths.models import Learner, LearningPath, PathHeader
from paths.services import Adoption, learner_adopt, learner_create

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


def remember_learner(request: HttpRequest, learner: Learner) -> None:
    """Make the session name this learner."""
    request.session[SESSION_KEY] = str(learner.pk)


def adopt_session_learner(request: HttpRequest, user: AbstractBaseUser) -> Adoption:
    """After `login()`: the account's learner adopts the session's guest learner, and the
    session names the account's learner from now on.

    Call it after Django's `login()`, which keeps the session's data for a guest and flushes it
    when another account was logged in, so another account's learner is never adopted.
    """
    adoption = learner_adopt(session_learner_id=learner_id_for_request(request), user=user)
    remember_learner(request, adoption.learner)
    return adoption


def learner_for_request(request: HttpRequest, *, create: bool) -> Learner | None:
    """The request's learner; with `create`, a new one is made and remembered when needed.

    A logged-in user always gets their account's learner, even after a login that did not go
    through our views (the admin's, say): the session's guest learner is adopted then.
    """
    learner_id = learner_id_for_request(request)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        if learner_id is not None:
            learner = Learner.objects.filter(pk=learner_id, user=user).first()
            if learner is not None:
                return learner
        return adopt_session_learner(request, user).learner
    if learner_id is not None:
        learner = Learner.objects.filter(pk=learner_id, user__isnull=True).first()
        if learner is not None:
            return learner
    if not create:
        return None
    learner = learner_create()
    remember_learner(request, learner)
    return learner


def is_owner(request: HttpRequest, path: LearningPath | PathHeader) -> bool:
    """True when the request comes from the path's learner: the session names it, or it is
    the logged-in user's (however they logged in).

    No query of its own when given a `PathHeader`, or a path loaded with its learner
    (select_related), and the request's user is loaded, as every page's header needs it anyway.
    """
    learner_id = learner_id_for_request(request)
    if learner_id is not None and learner_id == path.learner_id:
        return True
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    owner_user_id = path.owner_user_id if isinstance(path, PathHeader) else path.learner.user_id
    return owner_user_id == user.pk
