"""The one booking flow the site and the widget share, and the picker pieces every picker page uses."""
