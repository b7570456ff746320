from benefits.tests.conftest import (  # noqa: F401
    arrangement,
    csv_file,
    fast_passwords,
    finance,
    places,
    service_list,
    users,
)
