"""``CalculatorTools``: exact arithmetic for models, which are unreliable at it."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from agentos.tools._toolkit import Toolkit

# factorial grows fast: beyond this the result is thousands of digits the model cannot use.
_MAX_FACTORIAL = 1000


def _ok(operation: str, result: float | int | bool) -> str:
    return json.dumps({"operation": operation, "result": result})


def _error(message: str) -> str:
    return json.dumps({"error": message})


class CalculatorTools(Toolkit):
    """Add, subtract, multiply, divide, exponentiate, factorial, is_prime, square_root.

    Each tool answers with a small JSON object (``{"operation", "result"}`` or ``{"error"}``)
    so the model can tell a result from a refusal such as division by zero. Select tools with
    ``include_tools`` / ``exclude_tools``, or with the per-operation flags (``factorial=False``).
    """

    def __init__(
        self,
        add: bool = True,
        subtract: bool = True,
        multiply: bool = True,
        divide: bool = True,
        exponentiate: bool = True,
        factorial: bool = True,
        is_prime: bool = True,
        square_root: bool = True,
        enable_all: bool = False,
        **kwargs: Any,
    ) -> None:
        candidates: dict[str, tuple[bool, Callable[..., str]]] = {
            "add": (add, self.add),
            "subtract": (subtract, self.subtract),
            "multiply": (multiply, self.multiply),
            "divide": (divide, self.divide),
            "exponentiate": (exponentiate, self.exponentiate),
            "factorial": (factorial, self.factorial),
            "is_prime": (is_prime, self.is_prime),
            "square_root": (square_root, self.square_root),
        }
        tools = [method for enabled, method in candidates.values() if enabled or enable_all]
        kwargs.setdefault("name", "calculator")
        super().__init__(tools=tools, **kwargs)

    def add(self, a: float, b: float) -> str:
        """Add two numbers.

        Args:
            a: The first number.
            b: The second number.
        """
        return _ok("addition", _tidy(a + b))

    def subtract(self, a: float, b: float) -> str:
        """Subtract the second number from the first.

        Args:
            a: The number to subtract from.
            b: The number to subtract.
        """
        return _ok("subtraction", _tidy(a - b))

    def multiply(self, a: float, b: float) -> str:
        """Multiply two numbers.

        Args:
            a: The first factor.
            b: The second factor.
        """
        return _ok("multiplication", _tidy(a * b))

    def divide(self, a: float, b: float) -> str:
        """Divide the first number by the second.

        Args:
            a: The dividend.
            b: The divisor (must not be zero).
        """
        if b == 0:
            return _error("Division by zero is undefined")
        return _ok("division", _tidy(a / b))

    def exponentiate(self, a: float, b: float) -> str:
        """Raise a number to a power.

        Args:
            a: The base.
            b: The exponent.
        """
        try:
            value = math.pow(a, b)
        except (OverflowError, ValueError) as exc:
            return _error(f"Cannot compute {a} ** {b}: {exc}")
        return _ok("exponentiation", _tidy(value))

    def factorial(self, n: int) -> str:
        """The factorial of a non-negative integer.

        Args:
            n: The integer (0 to 1000).
        """
        if n < 0:
            return _error("Factorial of a negative number is undefined")
        if n > _MAX_FACTORIAL:
            return _error(f"Factorial is limited to n <= {_MAX_FACTORIAL}")
        return _ok("factorial", math.factorial(n))

    def is_prime(self, n: int) -> str:
        """Whether an integer is a prime number.

        Args:
            n: The integer to test.
        """
        return _ok("prime_check", _is_prime(n))

    def square_root(self, n: float) -> str:
        """The square root of a non-negative number.

        Args:
            n: The number.
        """
        if n < 0:
            return _error("Square root of a negative number is not a real number")
        return _ok("square_root", _tidy(math.sqrt(n)))


def _tidy(value: float) -> float | int:
    """6.0 -> 6: models echo what they see, and "6.0 apples" reads oddly."""
    if math.isfinite(value) and float(value).is_integer() and abs(value) < 2**53:
        return int(value)
    return value


# Miller-Rabin with these bases is exact for every n below 3.3e24, and instant for any n the
# model can type; trial division would take minutes for an 18-digit number.
_WITNESSES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41)


def _is_prime(n: int) -> bool:
    if n < 2:
        return False
    for p in _WITNESSES:
        if n % p == 0:
            return n == p
    d, r = n - 1, 0
    while d % 2 == 0:
        d //= 2
        r += 1
    for a in _WITNESSES:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True
