"""The JSON API v1: the seed's booking endpoints, safe to expose."""
