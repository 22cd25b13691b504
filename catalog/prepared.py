"""Hot queries compiled once: the ORM writes the SQL, each request runs it with its own values.

The queries a page runs on every request (the catalog version; a saved path's header and its
learner's marks) are indexed lookups that take tens of microseconds to run and, with Django's
ORM, several times as long to build and compile (the numbers are in docs/performance.md). A
`PreparedQuery` asks the ORM for a query's SQL once per database connection, built with a
placeholder value for each argument, and then runs that SQL with the request's values, turned
into database values by the same model fields and read back through the ORM's own converters.
The SQL is the ORM's, for whichever database is configured; nothing here writes SQL.

A value that another part of the house reads on the same request (the visitor's session row)
can ride along in a query's statement as one more selected value (`Column`,
`PreparedQuery.with_column`), so the request makes one round trip to the database, not two.
"""

from __future__ import annotations

import datetime
import secrets
import uuid
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    params: tuple[object, ...]
    slots: dict[int, str]  # index in params -> argument name
    compiler: object
    converters: dict


@dataclass(frozen=True, eq=False)
class Column:
    """A value that rides along in another query's statement: `build(**arguments)` gives the
    expression (a scalar subquery, say), each argument naming its model field as in
    `PreparedQuery`."""

    build: Callable[..., models.Expression]
    arguments: dict[str, models.Field]


class PreparedQuery:
    """`build(**arguments)` returns the queryset (its rows are what `rows()` gives); each
    argument names the model field its value is compared with, which turns a value into the
    database's value exactly as a filter on that field would."""

    def __init__(self, build: Callable[..., models.QuerySet], **arguments: models.Field) -> None:
        self._build = build
        self._arguments = arguments
        self._with: dict[tuple[str, Column], PreparedQuery] = {}
        self._compiled: weakref.WeakKeyDictionary[BaseDatabaseWrapper, _Compiled] = (
            weakref.WeakKeyDictionary()
        )

    def rows(self, **values: object) -> Iterator[tuple]:
        """The query's rows for these argument values, converted as the ORM would."""
        connection = connections[DEFAULT_DB_ALIAS]
        compiled = self._compiled.get(connection) or self._compile(connection)
        params = list(compiled.params)
        for index, name in compiled.slots.items():
            params[index] = self._arguments[name].get_db_prep_value(values[name], connection)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            found = cursor.fetchall()
        return _converted(compiled, found)

    def first(self, **values: object) -> tuple | None:
        return next(self.rows(**values), None)

    def with_column(self, name: str, column: Column) -> PreparedQuery:
        """This query with `column` selected last, under `name`; its rows take the arguments
        of both. One such query per column, compiled once like any other."""
        found = self._with.get((name, column))
        if found is not None:
            return found
        clash = self._arguments.keys() & column.arguments.keys()
        if clash:
            raise ValueError(f"the column repeats the query's arguments {sorted(clash)}")

        def build(**values: object) -> models.QuerySet:
            own = {key: values[key] for key in self._arguments}
            theirs = {key: values[key] for key in column.arguments}
            return self._build(**own).annotate(**{name: column.build(**theirs)})

        found = self._with[(name, column)] = PreparedQuery(
            build, **self._arguments, **column.arguments
        )
        return found

    def _compile(self, connection: BaseDatabaseWrapper) -> _Compiled:
        placeholders = {name: _placeholder(field) for name, field in self._arguments.items()}
        queryset = self._build(**placeholders).using(connection.alias)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots: dict[int, str] = {}
        for name, value in placeholders.items():
            prepared = self._arguments[name].get_db_prep_value(value, connection)
            found = [index for index, param in enumerate(params) if param == prepared]
            if not found:
                raise ValueError(f"the query does not use its argument {name!r}")
            slots.update(dict.fromkeys(found, name))
        converters = compiler.get_converters([column for column, _, _ in compiler.select])
        compiled = _Compiled(sql, tuple(params), slots, compiler, converters)
        self._compiled[connection] = compiled
        return compiled


def _converted(compiled: _Compiled, found: list) -> Iterator[tuple]:
    if compiled.converters:
        found = compiled.compiler.apply_converters(found, compiled.converters)
    return (tuple(row) for row in found)


def _placeholder(field: models.Field) -> object:
    """A value of the field's type that no query holds by chance."""
    target = field.target_field if field.is_relation else field
    if isinstance(target, models.UUIDField):
        return uuid.uuid4()
    if isinstance(target, models.IntegerField):
        return secrets.randbelow(2**52) + 2**52
    if isinstance(target, models.DateTimeField):
        return datetime.datetime(2001, 2, 3, tzinfo=datetime.UTC) + datetime.timedelta(
            microseconds=secrets.randbelow(10**12)
        )
    return "placeholder-" + secrets.token_hex(16)
