"""Saved learning paths and a learner's progress."""

from __future__ import annotations
