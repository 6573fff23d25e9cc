"""The public booking site: service list, calendar picker, form, confirmation."""
