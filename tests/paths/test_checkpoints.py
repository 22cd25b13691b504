"""Checkpoints a learner ticks: saved per learner and technology like progress, shown on every
path of theirs with the step, read-only for anyone else."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from paths.models import CheckpointTick, learner_marks
from paths.services import learner_adopt, learner_create
from tests.factories import act_as, make_document, make_path

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
SITE_LARGE = {"goal": ["site", "tools"], "size": ["large"]}
CHECKPOINTS = ["Name the methods.", "Read a status code.", "Set a header.", "Send a cookie."]


@pytest.fixture
def owner(client, load_document):
    document = make_document()
    document["technologies"][1]["checkpoints"] = CHECKPOINTS  # web, the first step
    load_document(document)
    learner = learner_create()
    act_as(client, learner)
    return make_path(learner=learner, answers=SITE_LARGE)


def url(path, slug: str = "web") -> str:
    return f"/paths/{path.token}/checkpoints/{slug}/"


def body(response) -> str:
    return response.content.decode()


def checked(html: str, slug: str = "web") -> list[str]:
    return re.findall(
        rf'id="step-{slug}-checkpoint-(\d+)" name="checkpoint" value="\d+" checked', html
    )


def test_the_owner_gets_a_checkbox_per_checkpoint_and_a_count(client, owner):
    html = body(client.get(owner.get_absolute_url()))
    block = html[html.index('id="step-web-checkpoints"') :]
    block = block[: block.index("</form>")]
    assert "<legend" in block and "0 of 4 checkpoints" in block
    for index, text in enumerate(CHECKPOINTS):
        assert f'<label for="step-web-checkpoint-{index}">{text}</label>' in block
    assert 'name="csrfmiddlewaretoken"' in block
    assert "Save checkpoints" in block


def test_a_plain_post_ticks_and_redirects_to_the_step(client, owner):
    response = client.post(url(owner), {"checkpoint": ["0", "2"]})
    assert response.status_code == 302
    assert response["Location"] == f"{owner.get_absolute_url()}#step-web"
    html = body(client.get(owner.get_absolute_url()))
    assert "2 of 4 checkpoints" in html
    assert checked(html) == ["0", "2"]
    client.post(url(owner), {"checkpoint": ["2"]})  # unticking 0
    html = body(client.get(owner.get_absolute_url()))
    assert "1 of 4 checkpoints" in html and checked(html) == ["2"]
    client.post(url(owner), {})  # nothing ticked
    assert "0 of 4 checkpoints" in body(client.get(owner.get_absolute_url()))


def test_an_htmx_post_answers_with_the_checkpoints_form(client, owner):
    response = client.post(url(owner), {"checkpoint": ["1", "3"]}, **HTMX)
    html = body(response)
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="step-web-checkpoints"') and "<html" not in html
    assert "2 of 4 checkpoints" in html and checked(html) == ["1", "3"]
    assert 'role="status">Saved.' in html


def test_ticks_belong_to_the_learner_and_show_on_their_other_paths(client, owner):
    client.post(url(owner), {"checkpoint": ["0"]})
    other = make_path(learner=owner.learner, answers={"goal": ["site"], "size": ["large"]})
    assert other.token != owner.token
    assert "1 of 4 checkpoints" in body(client.get(other.get_absolute_url()))
    someone = learner_create()
    act_as(client, someone)
    theirs = make_path(learner=someone, answers=SITE_LARGE)
    assert "0 of 4 checkpoints" in body(client.get(theirs.get_absolute_url()))


def test_readers_see_the_ticks_read_only(client, owner):
    client.post(url(owner), {"checkpoint": ["1"]})
    html = body(Client().get(owner.get_absolute_url()))
    block = html[html.index('id="step-web-checkpoints"') :]
    block = block[: block.index("</div>")]
    assert "<input" not in block and "<form" not in block
    assert "1 of 4 checkpoints" in block
    assert '<span class="visually-hidden">Ticked: </span>Read a status code.' in block
    assert "Ticked: </span>Name the methods." not in block


def test_a_reader_cannot_tick(owner):
    reader = Client()
    for data in ({"checkpoint": ["0"]}, {}):
        assert reader.post(url(owner), data).status_code == 403
        assert reader.post(url(owner), data, **HTMX).status_code == 403
    assert not CheckpointTick.objects.exists()


def test_ticking_needs_a_csrf_token(owner):
    client = Client(enforce_csrf_checks=True)
    act_as(client, owner.learner)
    assert client.post(url(owner), {"checkpoint": ["0"]}).status_code == 403
    assert not CheckpointTick.objects.exists()


@pytest.mark.parametrize(
    ("slug", "data", "status"),
    [
        ("web", {"checkpoint": ["4"]}, 400),
        ("web", {"checkpoint": ["-1"]}, 400),
        ("web", {"checkpoint": ["one"]}, 400),
        ("web", {"checkpoint": ["0", "x" * 5000]}, 400),
        ("microfw", {"checkpoint": ["0"]}, 404),  # in the catalog, not on this path
        ("nope", {"checkpoint": ["0"]}, 404),
    ],
)
def test_bad_posts_write_nothing(client, owner, slug, data, status):
    response = client.post(url(owner, slug), data)
    assert response.status_code == status
    assert not CheckpointTick.objects.exists()


def test_ticking_only_by_post(client, owner):
    assert client.get(url(owner)).status_code == 405


def test_a_repeated_post_changes_nothing(client, owner):
    for _ in range(2):
        client.post(url(owner), {"checkpoint": ["0", "0", "1"]})
    assert CheckpointTick.objects.count() == 2


def test_a_new_account_keeps_the_guests_ticks(client, owner, django_user_model):
    client.post(url(owner), {"checkpoint": ["0", "1"]})
    user = django_user_model.objects.create_user("ada", password="a-long-password-42")
    own = learner_adopt(session_learner_id=None, user=user).learner
    CheckpointTick.objects.create(learner=own, technology_slug="web", checkpoint=CHECKPOINTS[1])
    adopted = learner_adopt(session_learner_id=owner.learner_id, user=user).learner
    assert learner_marks(adopted.pk, notes=False)[2] == {"web": frozenset(CHECKPOINTS[:2])}
