"""What the web app holds while it runs: the open ledger, the cache, the throttle."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..access import Actor
from ..config import Settings
from ..ledger import Ledger
from .cache import PageCache
from .throttle import LoginThrottle


@dataclass
class WebState:
    """One per app (``app.state.web``).

    Attributes:
        settings: The ledger's settings.
        ledger: The ledger opened for the server; requests act through
            :meth:`Ledger.acting_as` for the user who signed in.
        cache: Derived pages, valid until the ledger changes.
        throttle: Failed sign-ins per address and user name.
        preauthenticated: Set only by ``serve --get``: every request acts as this
            user, who signed in on the command line. Never set for a server.
        cookie_secure: Whether cookies carry the ``Secure`` flag.
    """

    settings: Settings
    ledger: Ledger
    cache: PageCache
    throttle: LoginThrottle = field(default_factory=LoginThrottle)
    preauthenticated: Actor | None = None
    cookie_secure: bool = True

    def for_actor(self, actor: Actor) -> Ledger:
        return self.ledger.acting_as(actor)
