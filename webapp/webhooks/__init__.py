"""Webhooks without Flask or a database: event bodies, signatures, address checks, the POST.

- `events`    the event types an endpoint may subscribe to, and the JSON body of one event
- `signing`   the `Webhook-Signature` header (HMAC-SHA256 over timestamp "." body)
- `addresses` which URLs a delivery may go to (http(s); no private addresses in production)
- `delivery`  the POST itself, its headers and what counts as delivered

The outbox (`webapp.outbox`) writes one row per event and endpoint and calls `delivery`;
the admin's endpoints live in `webapp.services.webhooks`.
"""
