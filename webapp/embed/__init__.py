"""The embeddable booking widget: embed.js and the cookie-less booking flow under /embed/."""
