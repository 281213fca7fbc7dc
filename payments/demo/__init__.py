"""Demo data for the treasury: a month of bills, payments, settlements and bank lines
(``treasury.seed_treasury``, called by ``licensing.demo.loader.seed_demo``)."""
