"""Static files in production: WhiteNoise's compressed, hashed storage, with each file's URL
worked out once per process.

`{% static %}` asks the storage for a URL on every render, and the manifest storage answers by
looking the name up and joining it to STATIC_URL each time: about a tenth of a rendered page's
time. The manifest is read when the process starts and does not change while it runs (a new
`collectstatic` comes with a new release, and so with new processes), so the answer for a name
never changes either.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[tuple[str, bool], str] = {}

    def url(self, name: str, force: bool = False) -> str:
        try:
            return self._urls[name, force]
        except KeyError:
            url = self._urls[name, force] = super().url(name, force)
            return url
