"""Renderers: read a ``Result``, never compute an amount."""
