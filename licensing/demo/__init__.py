"""Demo data for `make run`: the city's calendar, catalogue and accounts, as data.

``loader.seed_demo`` writes it idempotently; ``manage.py seed_demo`` is its front door.
"""
