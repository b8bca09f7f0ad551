"""The use cases of the :class:`~rightsledger.ledger.Ledger` façade, one module per
area. Each module holds one class of methods and builds on the one before it;
:class:`~rightsledger.ledger.Ledger` inherits them all. :mod:`.base` holds the state
every use case shares (database sessions, cipher, acting user) and the checks they
all make (role, custody log).
"""
