"""Schemas: marshmallow shape and validation only, never a query."""
