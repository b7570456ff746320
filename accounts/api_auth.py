"""API authentication: `Authorization: Bearer <token>`, acting with the token owner's rights."""

from django.contrib.auth.models import AnonymousUser
from ninja.security import HttpBearer

from accounts.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


class ReadAuth(TokenAuth):
    """For reading: anyone may read, and a bearer token (or a signed-in session) shows that
    person's own drafts and pending changes as well. A token that is wrong is refused (401),
    never silently ignored."""

    def __call__(self, request):
        if not request.headers.get(self.header):
            return getattr(request, "user", None) or AnonymousUser()
        return super().__call__(request)
