from arrangements.tests.conftest import *  # noqa: F401,F403 - the fictional Testshire and its users
