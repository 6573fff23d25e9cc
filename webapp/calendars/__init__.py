"""Outside calendars without Flask or a database: reading sources and turning events into busy times.

- `busy`   iCalendar text -> busy intervals in a range (recurrences expanded by
           `recurring-ical-events`; transparent, cancelled and our own events left out)
- `fetch`  reading a source: an .ics feed over HTTP, or a CalDAV account's calendars
- `freebusy` Google `freeBusy` and Graph `getSchedule` answers -> busy intervals (the caller
           passes an authorised `post`)
- `write`  a booking as an event (UID and X- property mark it ours), PUT into or DELETEd from
           one CalDAV calendar

The worker's refresh (`webapp.services.calendar_sync`) calls these and stores the intervals;
the admin's sources live in `webapp.services.calendar_sources`.
"""
