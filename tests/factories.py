"""factory_boy factories shared by the tests; each builds valid rows with as few arguments as possible."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from ratings.models import Category, Product, Vendor
from surveys.models import Campaign, DirectoryEntry, Doctor, Response
from surveys.rpps import luhn_check_digit

PASSWORD = "Un-mot-de-passe-solide-42"


def valid_rpps(n):
    """Return the n-th Luhn-valid 11-digit RPPS number of the test series (10 digits + check digit)."""
    digits = f"1{n:09d}"
    return digits + luhn_check_digit(digits)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    username = factory.SelfAttribute("email")
    first_name = "Camille"
    last_name = "Martin"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*[Group.objects.get_or_create(name=name)[0] for name in extracted])
        if create:
            self.save()


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


class DirectoryEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DirectoryEntry

    rpps = factory.Sequence(lambda n: valid_rpps(500_000 + n))
    last_name = "Martin"
    first_name = "Camille"
    profession_code = "10"
    specialty_code = "SM54"
    practice_mode_code = "L"


class DoctorFactory(factory.django.DjangoModelFactory):
    """A doctor who may rate: e-mail confirmed, verified through the directory."""

    class Meta:
        model = Doctor

    user = factory.SubFactory(UserFactory, groups=["doctor"])
    rpps = factory.Sequence(lambda n: valid_rpps(n + 1))
    last_name = factory.SelfAttribute("user.last_name")
    first_name = factory.SelfAttribute("user.first_name")
    specialty = "general_practice"
    practice_mode = "liberal"
    region = "11"
    verification_status = Doctor.Status.VERIFIED
    verified_by = Doctor.VerifiedBy.DIRECTORY
    verified_at = factory.LazyFunction(timezone.now)
    email_confirmed_at = factory.LazyFunction(timezone.now)

    class Params:
        pending = factory.Trait(verification_status=Doctor.Status.PENDING, verified_by="", verified_at=None)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Catégorie {n}")
    slug = factory.Sequence(lambda n: f"categorie-{n}")


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vendor
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Éditeur {n}")
    slug = factory.Sequence(lambda n: f"editeur-{n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Logiciel {n}")
    slug = factory.Sequence(lambda n: f"logiciel-{n}")
    vendor = factory.SubFactory(VendorFactory)
    category = factory.SubFactory(CategoryFactory)


class CampaignFactory(factory.django.DjangoModelFactory):
    """An open campaign, a month either side of today."""

    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"campagne-{n}")
    title = factory.Sequence(lambda n: f"Campagne {n}")
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    status = Campaign.Status.OPEN

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)


class ResponseFactory(factory.django.DjangoModelFactory):
    """A submitted response with every facet at 4."""

    class Meta:
        model = Response

    doctor = factory.SubFactory(DoctorFactory)
    product = factory.SubFactory(ProductFactory)
    campaign = factory.SubFactory(CampaignFactory)
    status = Response.Status.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)
    ease_of_use = 4
    reliability = 4
    features = 4
    support = 4
    value_for_money = 4
    interoperability = 4
    data_protection = 4
    independence = 4
    recommend = 8
