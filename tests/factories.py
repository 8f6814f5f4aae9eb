import factory

from hbm.accounts.models import Agency, User
from hbm.places.models import BorderCrossingPoint


class CrossingPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BorderCrossingPoint
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"point-{n}")
    name = factory.Sequence(lambda n: f"Point {n}")
    country_id = "COD"
    neighbour_country_id = "UGA"
    latitude = "2.284000"
    longitude = "31.007000"
    daily_capacity = 500
    time_zone = "Africa/Lubumbashi"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"agency-{n}")
    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = "immigration"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    roles = factory.LazyFunction(list)
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def crossing_points(self, create, extracted, **kwargs):
        if create and extracted:
            self.crossing_points.set(extracted)
