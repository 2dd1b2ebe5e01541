"""Every data set ships a description with provenance, licence, shapes and splits."""

import pytest

from mmtutor.datasets import describe
from mmtutor.datasets._describe import DESCRIPTIONS


@pytest.mark.parametrize("name", DESCRIPTIONS)
def test_every_description_has_source_licence_and_shapes(name):
    text = describe(name)
    assert text.startswith("# ")
    for heading in ("## Source, licence and citation", "## Shapes"):
        assert heading in text, (name, heading)
    assert "CC BY" in text
    assert "CALIBRATION_TABLE" not in text


def test_multidigits_description_records_the_calibration():
    text = describe("multidigits")
    assert "| setting | image | audio | text | all three |" in text


def test_describe_rejects_an_unknown_name():
    with pytest.raises(ValueError, match=r"describe expects name to be one of 'digits'"):
        describe("cifar")
