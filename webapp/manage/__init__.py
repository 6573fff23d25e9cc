"""Client self-service pages reached through the manage link."""
