"""The one assertion every exercise test makes: a checker's verdict on an answer."""


def check(exercise, answer, status="incorrect", **kwargs):
    """Check ``answer``, assert the verdict is ``status`` and return the message (the hint)."""
    result = exercise.check(answer, **kwargs)
    assert result.status == status, result.message
    return result.message
