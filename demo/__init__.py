"""Demo data for `make run`: the city's calendar, catalogue, accounts, applications in every
state, permits, and a month of the treasury's work, as data.

``loader.seed_demo`` writes it idempotently through the apps' own services; ``manage.py
seed_demo`` is its front door. Demo may import every app; nothing imports demo.
"""
