// Parse an .ics file with ical.js and print what calendar clients read from it, as JSON.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const calendar = new ICAL.Component(ICAL.parse(readFileSync(process.argv[2], "utf8")));
for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(vtimezone);
}
const vevents = calendar.getAllSubcomponents("vevent");
const event = new ICAL.Event(vevents[0]);
console.log(JSON.stringify({
  method: calendar.getFirstPropertyValue("method"),
  events: vevents.length,
  uid: event.uid,
  sequence: event.sequence,
  status: vevents[0].getFirstPropertyValue("status"),
  summary: event.summary,
  attendees: event.attendees.map((a) => a.getFirstValue()),
  organizer: event.organizer,
  start_zone: event.startDate.zone.tzid,
  start_utc: event.startDate.toJSDate().toISOString(),
  end_utc: event.endDate.toJSDate().toISOString(),
}));
