"""Code exercises: run the learner's function on seeded inputs and compare with the package.

A :class:`CodeExercise` holds a list of :class:`Case` inputs, ordered from ordinary random
inputs to the edge cases (a batch of one, huge scores, fully masked rows), and a list of
:class:`Mistake` objects, the known wrong answers and the hint that names each. The first case
on which the learner's function disagrees with the package's reference decides the message:
NaN or infinity gives the case's ``nan_hint``; otherwise the first matching mistake's hint, then
the case's own ``hint``, then a generic comparison of the values.
"""

from __future__ import annotations

import copy
import dataclasses
import inspect
import textwrap
import warnings
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from mmtutor import _validation as v
from mmtutor.exercises._display import Result
from mmtutor.exercises._exercise import Exercise, ____, raised_by_blank
from mmtutor.exercises._language import lang_of, text, tr

_NOT_A_FUNCTION = text(
    "Pass your function itself, e.g. .check(my_function) without parentheses after its name. "
    "Received: a {kind}.",
    "请传入函数本身，例如 .check(my_function)，函数名后不要加括号。收到的是 {kind}。")
_RAISED = text("Your function raised {kind}: {error}",
               "你的函数抛出了异常 {kind}：{error}")
_NOT_A_TUPLE = text(
    "Return {count} values, ({names}), e.g. `return {names}`. Your function returned {got}.",
    "请返回 {count} 个值 ({names})，例如 `return {names}`。你的函数返回的是 {got}。")
_RETURNED_NONE = text(
    "Your function returned None: did you forget the `return` line?",
    "你的函数返回了 None：是不是忘了写 `return`？")
_SWAPPED = text("Return ({names}) in this order: yours come the other way round.",
                "请按 ({names}) 的顺序返回：你的返回值顺序反了。")
_NOT_NUMBERS = text("Your {name} could not be read as numbers: {error}",
                    "无法把你的 {name} 转换成数值：{error}")
_WRONG_SHAPE = text(
    "Expected {name} of shape {doc}, here {shape}; your function returned shape {got}.",
    "{name} 的形状应为 {doc}，此处即 {shape}；你的函数返回的形状是 {got}。")
_WRONG_SCALAR = text(
    "Expected the {name} as a single number (shape ()); your function returned an array of "
    "shape {got}. Reduce it to one number as the formula says.",
    "{name} 应是一个数（形状 ()）；你的函数返回了形状为 {got} 的数组。请按公式把它归约成一个数。")
_NOT_FINITE = text(
    "Your function returned NaN or infinity where the reference is finite: look for a "
    "division by zero, log(0) or exp of a large number.",
    "参考答案是有限值，而你的函数返回了 NaN 或无穷大：检查是否有除以零、log(0) 或对大数取 exp。")
_DIFFERS = text("Your values differ from the reference. .hint() gives a clue.",
                "你的结果与参考答案不同。.hint() 会给出提示。")
_WHERE = text("(Checked on {case}: {detail}.)", "（检查的输入：{case}；{detail}。）")
_WHERE_ONLY = text("(Checked on {case}.)", "（检查的输入：{case}。）")
_VALUES = text("expected {expected}, got {got}", "应为 {expected}，实际为 {got}")
_LARGEST = text("the largest difference in {name} is {diff:.3g}, at index {index}",
                "{name} 的最大差异为 {diff:.3g}，位置 {index}")
_NAN_IN = text("your {name} contains NaN or infinity", "你的 {name} 含有 NaN 或无穷大")
_SOLUTION_NOTE = text("A reference solution in NumPy:", "NumPy 参考答案：")


@dataclasses.dataclass(frozen=True, eq=False)
class Case:
    """One input on which a learner's function is run and compared with the reference.

    Attributes:
        label: what the input is, e.g. ``text("a batch of one example", "只有一个样本的批次")``.
        args: the positional arguments: NumPy arrays and numbers.
        hint: the hint when the answer first goes wrong on this case and no known mistake
            explains it.
        nan_hint: the hint when the answer is NaN or infinite on this case.
    """

    label: Mapping[str, str]
    args: tuple
    hint: Mapping[str, str] | None = None
    nan_hint: Mapping[str, str] | None = None


@dataclasses.dataclass(frozen=True, eq=False)
class Mistake:
    """A known wrong answer and the hint that names it.

    Give exactly one of ``same_as``, a function that makes the mistake (the learner's outputs
    equal its outputs), and ``when``, a test ``when(args, got, expected) -> bool`` on the
    learner's outputs (one array, or a tuple of arrays for several outputs).
    """

    hint: Mapping[str, str]
    same_as: Callable | None = None
    when: Callable | None = None

    def __post_init__(self):
        if (self.same_as is None) == (self.when is None):
            raise ValueError(v.message("Mistake", "exactly one of same_as and when",
                                       f"same_as={self.same_as!r}, when={self.when!r}"))


def _shape_text(shape) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def _quiet_call(function, args):
    """Call ``function`` on copies of ``args`` with NumPy's and Python's warnings silenced."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return function(*copy.deepcopy(args))


class CodeExercise(Exercise):
    """An exercise whose answer is a function, checked against the package on seeded inputs.

    Args:
        name: the exercise's name, e.g. ``"formulas.autoencoder_loss"``.
        reference: the package's function, called as ``reference(*case.args)``; its outputs
            are the expected values.
        solution: a reference solution as a learner would write it (NumPy), shown by
            ``.solution()``; its parameter names name the arguments in messages.
        outputs: output name to its shape in the docstring's notation, in return order, e.g.
            ``{"loss": "()"}`` or ``{"context": "(N, d)", "weights": "(N, n)"}``.
        cases: the inputs, ordinary ones first, then edge cases.
        mistakes: known wrong answers and their hints, most specific first.
        question, hints, remark: as for every exercise.
        rtol, atol: tolerances of the comparison (``numpy.allclose``).

    Example:
        >>> import numpy as np
        >>> def double(x):
        ...     return 2 * x
        >>> q = CodeExercise("demo.double", reference=lambda x: 2 * x, solution=double,
        ...                  outputs={"y": "(N,)"}, cases=[Case(text("a vector"), (np.ones(3),))],
        ...                  mistakes=[Mistake(text("Multiply, do not add."),
        ...                                    same_as=lambda x: x + 2)])
        >>> q.check(double).status
        'correct'
        >>> print(q.check(lambda x: x + 2).message)
        Multiply, do not add.
        (Checked on a vector (x (3,)): expected [2. 2. 2.], got [3. 3. 3.].)
        >>> q.check(lambda x: ____).status
        'not_attempted'
    """

    def __init__(self, name: str, *, reference: Callable, solution: Callable,
                 outputs: Mapping[str, str], cases: Sequence[Case],
                 mistakes: Sequence[Mistake] = (), question: Mapping[str, str] | None = None,
                 hints: Sequence[Mapping[str, str]] = (), remark: Mapping[str, str] | None = None,
                 rtol: float = 1e-4, atol: float = 1e-6):
        super().__init__(name, question=question, hints=hints, remark=remark)
        self.reference = reference
        self.solution_function = solution
        self.outputs = dict(outputs)
        self.cases = tuple(cases)
        self.mistakes = tuple(mistakes)
        self.rtol, self.atol = rtol, atol
        self.arg_names = tuple(inspect.signature(solution).parameters)
        self._expected: dict[int, tuple] = {}
        self._wrong: dict[tuple[int, int], tuple | None] = {}

    def _as_arrays(self, value) -> tuple:
        values = (value,) if len(self.outputs) == 1 else tuple(value)
        return tuple(np.asarray(x, dtype=np.float64) for x in values)

    def expected(self, index: int) -> tuple:
        """The reference's outputs on case ``index``, as a tuple of float64 arrays (cached)."""
        if index not in self._expected:
            self._expected[index] = self._as_arrays(
                _quiet_call(self.reference, self.cases[index].args))
        return self._expected[index]

    def _where(self, case: Case) -> str:
        parts = [f"{n} {_shape_text(a.shape)}" if isinstance(a, np.ndarray) else f"{n}={a!r}"
                 for n, a in zip(self.arg_names, case.args, strict=False)]
        return f"{tr(case.label)} ({', '.join(parts)})"

    def _fail(self, hint, case: Case | None = None, detail: str = "", **fields) -> Result:
        message = tr(hint, **fields)
        if case is not None and detail:
            message += "\n" + tr(_WHERE, case=self._where(case), detail=detail)
        elif case is not None:
            message += "\n" + tr(_WHERE_ONLY, case=self._where(case))
        return Result("incorrect", message, exercise=self.name, lang=lang_of(hint))

    def _judge(self, answer):
        if not callable(answer):
            return self._fail(_NOT_A_FUNCTION, kind=type(answer).__name__)
        for index, case in enumerate(self.cases):
            try:
                value = _quiet_call(answer, case.args)
            except Exception as error:
                if raised_by_blank(error):
                    return self._result("not_attempted", self._blank_text)
                message = str(error).strip()
                message = message if len(message) <= 400 else message[:400] + " ..."
                return self._fail(_RAISED, case, kind=type(error).__name__, error=message)
            got = self._read(value, index, case)
            if not isinstance(got, tuple):
                return got  # a Result: blank, not a tuple, not numbers or the wrong shape
            expected = self.expected(index)
            if not all(np.allclose(g, e, rtol=self.rtol, atol=self.atol)
                       for g, e in zip(got, expected, strict=True)):
                return self._explain(index, case, got, expected)
        return self._correct()

    def _read(self, value, index: int, case: Case):
        """The learner's outputs as float64 arrays of the expected shapes, or a Result."""
        names = list(self.outputs)
        if value is None:
            return self._fail(_RETURNED_NONE, case)
        if len(names) > 1:
            if not isinstance(value, (tuple, list)) or len(value) != len(names):
                got = (f"{len(value)} values" if isinstance(value, (tuple, list))
                       else f"a {type(value).__name__}")
                return self._fail(_NOT_A_TUPLE, count=len(names), names=", ".join(names),
                                  got=got)
            values = tuple(value)
        else:
            values = (value,)
        if any(item is ____ for item in values):
            return self._result("not_attempted", self._blank_text)
        if any(item is None for item in values):
            return self._fail(_RETURNED_NONE, case)
        expected = self.expected(index)
        shapes = [getattr(item, "shape", None) for item in values]
        wanted = [e.shape for e in expected]
        if len(names) > 1 and shapes != wanted and [tuple(s or ()) for s in shapes[::-1]] == wanted:
            return self._fail(_SWAPPED, case, names=", ".join(names))
        arrays = []
        for name, item, exp in zip(names, values, expected, strict=True):
            try:
                array = np.asarray(item, dtype=np.float64)
            except Exception as error:
                return self._fail(_NOT_NUMBERS, case, name=name, error=error)
            if exp.shape == () and array.size == 1 and array.ndim <= 1:
                array = array.reshape(())
            elif exp.shape == ():
                return self._fail(_WRONG_SCALAR, case, name=name, got=_shape_text(array.shape))
            elif array.shape != exp.shape:
                return self._fail(_WRONG_SHAPE, case, name=name, doc=self.outputs[name],
                                  shape=_shape_text(exp.shape), got=_shape_text(array.shape))
            arrays.append(array)
        return tuple(arrays)

    def _detail(self, got: tuple, expected: tuple) -> str:
        for name, g, e in zip(self.outputs, got, expected, strict=True):
            if not np.all(np.isfinite(g)) and np.all(np.isfinite(e)):
                return tr(_NAN_IN, name=name)
        if len(got) == 1 and got[0].size == 1:
            return tr(_VALUES, expected=f"{float(expected[0]):.6g}", got=f"{float(got[0]):.6g}")
        if len(got) == 1 and got[0].size <= 6:
            return tr(_VALUES, expected=np.round(expected[0], 6), got=np.round(got[0], 6))
        for name, g, e in zip(self.outputs, got, expected, strict=True):
            diff = np.abs(g - e)
            if not np.allclose(g, e, rtol=self.rtol, atol=self.atol):
                index = np.unravel_index(int(np.argmax(diff)), diff.shape)
                return tr(_LARGEST, name=name, diff=float(diff[index]),
                          index=tuple(int(i) for i in index))
        return ""

    def _explain(self, index: int, case: Case, got: tuple, expected: tuple):
        detail = self._detail(got, expected)
        finite = all(np.all(np.isfinite(g)) for g in got)
        if not finite and all(np.all(np.isfinite(e)) for e in expected):
            return self._fail(case.nan_hint or _NOT_FINITE, case, detail)
        for number, mistake in enumerate(self.mistakes):
            if self._made(mistake, number, index, got, expected):
                return self._fail(mistake.hint, case, detail)
        return self._fail(case.hint or _DIFFERS, case, detail)

    def _made(self, mistake: Mistake, number: int, index: int, got: tuple,
              expected: tuple) -> bool:
        """True if the learner's outputs ``got`` on case ``index`` show ``mistake``."""
        args = self.cases[index].args
        if mistake.when is not None:
            one = len(got) == 1
            try:
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")
                    return bool(mistake.when(copy.deepcopy(args), got[0] if one else got,
                                             expected[0] if one else expected))
            except Exception:
                return False
        key = (number, index)
        if key not in self._wrong:
            try:
                self._wrong[key] = self._as_arrays(_quiet_call(mistake.same_as, args))
            except Exception:
                self._wrong[key] = None
        wrong = self._wrong[key]
        return wrong is not None and all(
            w.shape == g.shape and np.allclose(g, w, rtol=self.rtol, atol=self.atol,
                                               equal_nan=True)
            for g, w in zip(got, wrong, strict=True))

    def _solution(self):
        try:
            code = textwrap.dedent(inspect.getsource(self.solution_function))
        except (OSError, TypeError):  # source not available (e.g. defined in a REPL)
            code = repr(self.solution_function)
        return _SOLUTION_NOTE, code
