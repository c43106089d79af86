"""Renderers: they turn computed results into text for a medium and never compute anything themselves."""
