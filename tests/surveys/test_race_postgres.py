import threading

import pytest
from django.db import connection

from surveys.models import Response
from surveys.services.responses import save_response
from tests.factories import CampaignFactory, DoctorFactory, ProductFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Needs PostgreSQL: SQLite serialises writers, so two requests can never race there.",
    ),
]

ROUNDS = 10


def submit_concurrently(n_threads, **kwargs):
    """Run save_response in `n_threads` threads released together; return the exceptions raised."""
    barrier = threading.Barrier(n_threads)
    errors = []

    def worker(recommend):
        try:
            barrier.wait(timeout=10)
            save_response(submit=True, recommend=recommend, **kwargs)
        except Exception as exc:  # the test asserts that nothing escapes
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(n_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


@pytest.mark.django_db(transaction=True)
def test_two_racing_submissions_make_one_response():
    doctor = DoctorFactory()
    campaign = CampaignFactory(categories=[])
    products = [ProductFactory() for _ in range(ROUNDS)]

    for product in products:
        errors = submit_concurrently(
            2, doctor=doctor, product=product, campaign=campaign, answers={"support": 4}
        )
        assert errors == []

    assert Response.objects.count() == ROUNDS
    for product in products:
        response = Response.objects.get(doctor=doctor, product=product, campaign=campaign)
        assert response.status == Response.Status.SUBMITTED
        assert response.support == 4
        assert response.recommend in (0, 1)
