"""The rules of escort services as pure Python: periods, balances, payment bands, verification,
personnummer, deadlines and culling.

Nothing here imports Django: the same functions serve the web application, the `folja calc`
command an auditor runs without a database, and the property tests. Everything a municipality
decides (amounts, rates, holiday lists, cut-offs) arrives as data (`model.Guideline`,
`model.Rate`), never as a constant in code.
"""
