"""A crossing-point file with a control character names its line and imports nothing."""

import pytest

from hbm.lib import text
from hbm.lib.rejected import Rejected
from hbm.places.models import BorderCrossingPoint
from tests.places.test_crossing_point_import import HEADER, run


def test_a_name_with_a_nul_names_its_line_and_nothing_is_written(admin_samuel):
    before = BorderCrossingPoint.objects.count()
    rows = (
        "aba,Aba,official_bcp,COD,SSD,,3.869,30.229,,open,\n"
        "goli,Go\x00li,official_bcp,COD,UGA,,2.2,31.0,,open,\n"
    )
    with pytest.raises(Rejected) as caught:
        run(admin_samuel, HEADER + rows)
    assert caught.value.problems == [f"line 3: name: {text.CONTROL.format('U+0000')}"]
    assert BorderCrossingPoint.objects.count() == before
