"""Outside calendars per host: add, change, remove, read again soon, and how their reads went."""
from flask import abort, render_template, url_for
from flask_babel import gettext as _

from webapp.admin.blueprint import bp, form_action, zone
from webapp.admin.forms import CalendarSourceForm
from webapp.services import calendar_sources
from webapp.services.errors import NotFound


def _form(**kwargs) -> CalendarSourceForm:
    """Return the source form with the hosts to choose from."""
    form = CalendarSourceForm(**kwargs)
    form.offer_hosts(calendar_sources.host_choices())
    return form


def _list_context() -> dict:
    """Return what the list shows: every source with its status, and a form to add one."""
    return dict(sources=calendar_sources.all_sources(), form=_form(formdata=None), settings_zone=zone())


def _source_context(source_id: int) -> dict:
    """Return what a source's page shows: its status and its form (never its password)."""
    try:
        source = calendar_sources.get_source(source_id)
    except NotFound:
        abort(404)
    form = _form(obj=source, formdata=None)
    form.calendars.data = ", ".join(source.calendars or [])
    return dict(source=source, form=form, settings_zone=zone())


@bp.get("/calendar-sources")
def calendar_sources_page():
    """List the hosts' outside calendars and how their last reads went."""
    return render_template("admin/calendar_sources.html", **_list_context())


@bp.post("/calendar-sources")
def calendar_source_add():
    """Add a source (read at the worker's next pass), or show the page again with what is wrong."""
    form = _form()
    return form_action(lambda: calendar_sources.create_source(**form.values()), form=form,
                       message=_("Calendar added; it is read within a minute."),
                       back=url_for("admin.calendar_sources_page"), page="admin/calendar_sources.html",
                       context=_list_context)


@bp.get("/calendar-sources/<int:source_id>")
def calendar_source_edit(source_id: int):
    """Show a source: its status and its settings."""
    return render_template("admin/calendar_source_edit.html", **_source_context(source_id))


@bp.post("/calendar-sources/<int:source_id>")
def calendar_source_save(source_id: int):
    """Change a source, or show it again with what is wrong."""
    form = _form()
    return form_action(lambda: calendar_sources.update_source(source_id, **form.values()), form=form,
                       message=_("Calendar saved; it is read again within a minute."),
                       back=url_for("admin.calendar_source_edit", source_id=source_id),
                       page="admin/calendar_source_edit.html", context=lambda: _source_context(source_id))


@bp.post("/calendar-sources/<int:source_id>/refresh")
def calendar_source_refresh(source_id: int):
    """Ask the worker to read the source at its next pass."""
    return form_action(lambda: calendar_sources.request_refresh(source_id),
                       message=_("The calendar is read again within a minute."),
                       back=url_for("admin.calendar_source_edit", source_id=source_id),
                       page="admin/calendar_source_edit.html", context=lambda: _source_context(source_id))


@bp.post("/calendar-sources/<int:source_id>/delete")
def calendar_source_delete(source_id: int):
    """Remove a source; its busy times stop blocking at once."""
    return form_action(lambda: calendar_sources.delete_source(source_id), message=_("Calendar removed."),
                       back=url_for("admin.calendar_sources_page"), page="admin/calendar_sources.html",
                       context=_list_context)
