"""The city treasury's work (BPKAD): money in, three-way matching, exceptions, the daily close.

- ``settlements``: payouts and balance transactions pulled from the gateway.
- ``statements``: bank statement files (CSV, MT940) read and imported all or nothing.
- ``counter``: bills paid at a bank teller, recorded against a bank line.
- ``matching``: set-based matching and the exceptions it finds.
- ``exceptions``: resolving exceptions (maker-checker for write-offs and manual matches).
- ``ledger``: the books — every rupiah received or refunded, in one business day.
- ``closing``: closing a day; ``exports``: CSV/XLSX and the deposit summary (STS).
- ``dashboard`` and ``charts``: collections, ageing and exception counts, as server-drawn SVG.
- ``views/``: the treasury's pages, one module per area, reachable by treasury staff only.
"""
