"""The pieces every `observer-suite` command group is built from.

Flask's `ScriptInfo` builds the app (the root group gives it a `create_app` that honours
`--database-url`); commands declared on an `AppGroup` run inside that app's context, after the
schema check. The app is built only when a command runs, so `--help` never opens a database.
"""

from collections.abc import Callable
from functools import update_wrapper
from typing import Any

import click
from flask import Flask
from flask.cli import AppGroup as FlaskAppGroup
from flask.cli import ScriptInfo

from observer_suite.extensions import db
from observer_suite.schema_check import prepare_schema


class AppScript(ScriptInfo):
    """Flask's ScriptInfo, remembering whether it built the app so `close` can dispose it."""

    def __init__(self, create_app: Callable[[], Flask]):
        super().__init__(create_app=create_app, set_debug_flag=False)
        self.built: Flask | None = None

    def load_app(self) -> Flask:
        self.built = super().load_app()
        return self.built

    def close(self) -> None:
        """At the end of the command line: no pooled connection outlives the command."""
        if self.built is not None:
            with self.built.app_context():
                db.session.remove()
                db.engine.dispose()


def with_appcontext(f: Callable, schema: str = "check") -> Callable:
    """Flask's `with_appcontext`, but always in the app the script builds (an app context
    already pushed, as in the tests, must not stand in for `--database-url`), and after
    `prepare_schema(schema)`: "check" stops on a missing or old schema, "upgrade" migrates it,
    "" skips (for `db upgrade`, or a command that checks later itself)."""

    @click.pass_context
    def decorator(ctx: click.Context, /, *args: Any, **kwargs: Any) -> Any:
        script = ctx.find_object(AppScript)
        if script is None:
            raise RuntimeError("run it from observer-suite's root group, which builds the app")
        app = script.load_app()
        ctx.with_resource(app.app_context())
        prepare_schema(schema)
        return ctx.invoke(f, *args, **kwargs)

    return update_wrapper(decorator, f)


class AppGroup(FlaskAppGroup):
    """Flask's AppGroup with the `with_appcontext` above; `schema=` is passed on to it."""

    def command(self, *args: Any, schema: str = "check", **kwargs: Any) -> Callable:
        wrap = kwargs.pop("with_appcontext", True)

        def decorator(f: Callable) -> click.Command:
            if wrap:
                f = with_appcontext(f, schema)
            return click.Group.command(self, *args, **kwargs)(f)

        return decorator

    def group(self, *args: Any, **kwargs: Any) -> Callable:
        kwargs.setdefault("cls", AppGroup)
        return click.Group.group(self, *args, **kwargs)


def app_command(
    *args: Any, schema: str = "check", **kwargs: Any
) -> Callable[[Callable], click.Command]:
    """A command outside any group (added to one by observer_suite/cli.py)."""

    def decorator(f: Callable) -> click.Command:
        return click.command(*args, **kwargs)(with_appcontext(f, schema))

    return decorator


def fail(message: str) -> None:
    """Stop the command: `Error: message` on stderr, exit code 1."""
    raise click.ClickException(message)
