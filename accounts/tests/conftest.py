import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Sign-in tests check many passwords; the real hasher is slow by design."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
