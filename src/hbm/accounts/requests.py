"""The request a signed-in view or API handler receives, as the type checker should see it.

Django types ``request.user`` as ``User | AnonymousUser``. Behind ``login_required`` or the
API's authentication the user is a real ``User``: views and handlers say so by taking an
``AuthenticatedHttpRequest`` (the django-stubs recipe), and pass ``request.user`` on to
selectors and services typed with ``User``. See docs/decisions/0117-type-checking-the-apps.md.
"""

from hbm.accounts.models import User
from hbm.lib.htmx import HtmxHttpRequest


class AuthenticatedHttpRequest(HtmxHttpRequest):
    user: User
