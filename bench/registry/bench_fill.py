"""Top the registry up to N persons in bulk, by repeating the demo population with new keys."""

from hbm.accounts.models import User
from hbm.demo.registrations import demo_load_registrations
from hbm.places.models import BorderCrossingPoint
from hbm.registry.models import Person


def fill(target: int) -> None:
    points = {p.code: p for p in BorderCrossingPoint.objects.all()}
    admin = User.objects.get(username="admin")
    officer = User.objects.get(username="registration")
    round_no = 0
    while (have := Person.objects.count()) < target:
        round_no += 1
        scale = min(5.0, (target - have) / 19_207 * 1.05)
        demo_load_registrations(
            points=points,
            officers={"mahagi-goli": officer},
            administrator=admin,
            scale=scale,
            seed=1000 + round_no,
        )
