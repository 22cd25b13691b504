"""check_links against a local HTTP server the test starts: never the internet."""

from __future__ import annotations

import io
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from catalog.models import Resource, Technology
from catalog.versioning import current_version
from tests.factories import make_document, make_technology

pytestmark = pytest.mark.django_db

SLOW_SECONDS = 8


class Handler(BaseHTTPRequestHandler):
    hits: dict[str, int] = {}

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        Handler.hits[self.path] = Handler.hits.get(self.path, 0) + 1
        routes = {
            "/ok": (200, None),
            "/missing": (404, None),
            "/broken": (500, None),
            "/moved": (301, "/ok"),
            "/loop-a": (302, "/loop-b"),
            "/loop-b": (302, "/loop-a"),
            "/to-ftp": (302, "ftp://files.example.test/x"),
        }
        if self.path == "/slow":
            time.sleep(SLOW_SECONDS)
        status, location = routes.get(self.path, (200, None))
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"hi")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Handler.hits = {}
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def resource(title: str, url: str) -> dict:
    return {"title": title, "url": url, "kind": "docs"}


def links_catalog(load_document, base: str) -> None:
    document = make_document()
    document["technologies"] = [
        make_technology(
            "good",
            name="Good Kit",
            homepage=f"{base}/ok",
            resources=[resource("Moved guide", f"{base}/moved"), resource("Same", f"{base}/ok")],
        ),
        make_technology(
            "bad",
            name="Bad Kit",
            homepage=f"{base}/missing",
            resources=[
                resource("Broken tutorial", f"{base}/broken"),
                resource("Slow book", f"{base}/slow"),
                resource("Looping docs", f"{base}/loop-a"),
                resource("Off the web", f"{base}/to-ftp"),
                resource("Nobody home", f"http://127.0.0.1:{closed_port()}/x"),
            ],
        ),
    ]
    document["projects"] = []
    document["questions"] = []
    load_document(document)


def check(*options: str) -> tuple[list[str], str | None]:
    out = io.StringIO()
    try:
        call_command("check_links", "--timeout", "2", *options, stdout=out, stderr=io.StringIO())
    except CommandError as error:
        return out.getvalue().splitlines(), str(error)
    return out.getvalue().splitlines(), None


def test_every_failure_is_reported_with_its_technology_and_title(server, load_document):
    links_catalog(load_document, server)
    version = current_version()
    started = time.monotonic()
    lines, error = check("--concurrency", "8")
    elapsed = time.monotonic() - started
    assert error == "Checked 9 links (8 addresses): 6 failed, 3 OK."
    assert sorted(lines) == sorted(
        [
            f"HTTP 404: {server}/missing (Bad Kit, homepage)",
            f'HTTP 500: {server}/broken (Bad Kit, resource "Broken tutorial")',
            f'timed out after 2 s: {server}/slow (Bad Kit, resource "Slow book")',
            f"redirect loop ({server}/loop-a -> {server}/loop-b -> {server}/loop-a): "
            f'{server}/loop-a (Bad Kit, resource "Looping docs")',
            "redirects out of http(s), to ftp://files.example.test/x: "
            f'{server}/to-ftp (Bad Kit, resource "Off the web")',
            *[line for line in lines if line.startswith("cannot connect: ")],
        ]
    )
    [refused] = [line for line in lines if line.startswith("cannot connect: ")]
    assert refused.endswith('(Bad Kit, resource "Nobody home")')
    assert Handler.hits["/ok"] == 2  # once as itself, once after /moved: each address once
    assert elapsed < SLOW_SECONDS  # the slow one did not hold up the others, nor waited out
    assert current_version() == version  # checking links is no catalog edit


def test_all_good_links_exit_0(server, load_document):
    document = make_document()
    for technology in document["technologies"]:
        technology.update(homepage="", resources=[])  # no address outside this test
    document["technologies"][0]["homepage"] = f"{server}/ok"
    document["technologies"][0]["resources"] = [resource("Guide", f"{server}/moved")]
    load_document(document)
    lines, error = check()
    assert error is None
    assert lines == ["Checked 2 links (2 addresses): 0 failed, 2 OK."]


def test_bad_options_are_refused_without_a_traceback():
    for option, value in (("--timeout", "0"), ("--concurrency", "-2"), ("--timeout", "soon")):
        with pytest.raises(CommandError, match=f"{option} must be a number above 0"):
            call_command("check_links", option, value, stdout=io.StringIO(), stderr=io.StringIO())


def test_the_admin_shows_each_resources_last_check(server, load_document, admin_client):
    links_catalog(load_document, server)
    bad = Technology.objects.get(slug="bad")
    page = admin_client.get(reverse("admin:catalog_technology_change", args=[bad.pk]))
    assert "not checked yet" in page.content.decode()
    check()
    page = admin_client.get(reverse("admin:catalog_technology_change", args=[bad.pk])).content
    text = page.decode()
    assert "FAILED: HTTP 500" in text
    assert "FAILED: redirect loop" in text
    assert "HTTP 404 (" in text  # the homepage's check
    listing = admin_client.get(reverse("admin:catalog_resource_changelist")).content.decode()
    assert "OK: OK (200, after redirects to" in listing
    failed = admin_client.get(
        reverse("admin:catalog_resource_changelist") + "?last_check_ok__exact=0"
    ).content.decode()
    assert "Broken tutorial" in failed and "Moved guide" not in failed
    assert Resource.objects.filter(last_check_ok=False).count() == 5
