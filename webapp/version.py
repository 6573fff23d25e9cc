"""The product's version, reported by the health check and the API description."""

VERSION = "1.0.0"
