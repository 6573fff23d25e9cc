"""Email: message building (templates + .ics invites) and the transports that send them."""
