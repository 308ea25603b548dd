"""Toolkit filters and flags, @tool on methods, and resolve_tools."""

from __future__ import annotations

from typing import Any

import pytest
from agentos.tools import Function, Toolkit, execute_function, resolve_tools, tool


class Shop(Toolkit):
    def __init__(self, **kwargs: Any) -> None:
        self.orders: list[str] = []
        kwargs.setdefault("name", "shop")
        super().__init__(tools=[self.browse, self.buy, self.refund, self.ship], **kwargs)

    def browse(self, query: str) -> str:
        """Search the catalogue."""
        return f"results for {query}"

    def buy(self, item: str) -> str:
        """Buy an item."""
        self.orders.append(item)
        return f"bought {item}"

    def refund(self, item: str) -> str:
        """Refund an item."""
        return f"refunded {item}"

    def ship(self, item: str) -> str:
        """Ship an item."""
        return f"shipped {item}"


def test_functions_are_ordered_and_bound() -> None:
    shop = Shop()
    assert list(shop.functions) == ["browse", "buy", "refund", "ship"]
    assert "self" not in shop.functions["buy"].parameters["properties"]


async def test_methods_execute_against_their_instance() -> None:
    shop = Shop()
    result = await execute_function(shop.functions["buy"], {"item": "tea"}, call_id="1", run_context=None)
    assert result.content == "bought tea"
    assert shop.orders == ["tea"]


def test_include_and_exclude() -> None:
    assert list(Shop(include_tools=["buy", "browse"]).functions) == ["browse", "buy"]
    assert list(Shop(exclude_tools=["refund"]).functions) == ["browse", "buy", "ship"]


@pytest.mark.parametrize(
    "option",
    [
        "include_tools",
        "exclude_tools",
        "requires_confirmation_tools",
        "external_execution_required_tools",
        "stop_after_tool_call_tools",
        "show_result_tools",
    ],
)
def test_unknown_tool_names_are_rejected(option: str) -> None:
    with pytest.raises(ValueError, match=r"unknown tool\(s\) steal, borrow"):
        Shop(**{option: ["buy", "steal", "borrow"]})


def test_flag_lists_set_flags_on_named_tools() -> None:
    shop = Shop(
        requires_confirmation_tools=["buy"],
        external_execution_required_tools=["ship"],
        stop_after_tool_call_tools=["refund"],
        show_result_tools=["browse", "refund"],
    )
    f = shop.functions
    assert f["buy"].requires_confirmation and not f["browse"].requires_confirmation
    assert f["ship"].external_execution and not f["buy"].external_execution
    assert f["refund"].stop_after_tool_call and not f["ship"].stop_after_tool_call
    assert f["browse"].show_result and f["refund"].show_result and not f["buy"].show_result


def test_auto_register_off_and_manual_register() -> None:
    shop = Shop(auto_register=False)
    assert shop.functions == {}
    registered = shop.register(shop.buy, name="purchase")
    assert registered is not None and registered.name == "purchase"
    assert list(shop.functions) == ["purchase"]
    filtered = Shop(auto_register=False, exclude_tools=["buy"])
    assert filtered.register(filtered.buy) is None


def test_instructions_are_collected_when_asked() -> None:
    @tool(instructions="Prefer metric units.")
    def weather(city: str) -> str:
        """Weather."""
        return city

    @tool(instructions="Hidden.", add_instructions=False)
    def secret() -> str:
        """Secret."""
        return ""

    resolved = resolve_tools(
        [
            Shop(instructions="Confirm prices first.", add_instructions=True),
            Toolkit(name="quiet", instructions="Not added (add_instructions defaults to False)."),
            weather,
            secret,
        ]
    )
    assert resolved.instructions == ["Confirm prices first.", "Prefer metric units."]


class Greeter:
    """@tool works in a class body: the Function binds to the instance like a method."""

    def __init__(self, greeting: str) -> None:
        self.greeting = greeting

    @tool(name="greet", description="Greet someone.")
    def say_hello(self, name: str) -> str:
        return f"{self.greeting}, {name}"


async def test_tool_decorated_method_binds_to_instance() -> None:
    hi, hey = Greeter("hi"), Greeter("hey")
    assert isinstance(hi.say_hello, Function)
    assert hi.say_hello is hi.say_hello  # bound once per instance
    assert hi.say_hello.parameters["properties"] == {"name": {"type": "string"}}
    assert hi.say_hello("Ann") == "hi, Ann"
    kit = Toolkit(name="greeters", tools=[hey.say_hello])
    result = await execute_function(kit.functions["greet"], {"name": "Bo"}, call_id="1", run_context=None)
    assert result.content == "hey, Bo"


# --------------------------------------------------------------------------- resolve_tools


def test_resolve_accepts_every_form() -> None:
    def plain(x: int) -> int:
        """Plain callable."""
        return x

    @tool
    def decorated() -> str:
        """Decorated."""
        return ""

    openai_format = {
        "type": "function",
        "function": {
            "name": "lookup",
            "description": "Look something up elsewhere.",
            "parameters": {"type": "object", "properties": {"q": {"type": "string"}}, "required": ["q"]},
        },
    }
    bare = {"name": "notify", "description": "Notify.", "parameters": {"type": "object", "properties": {}}}
    resolved = resolve_tools([plain, decorated, Shop(include_tools=["buy"]), openai_format, bare])
    assert list(resolved.functions) == ["plain", "decorated", "buy", "lookup", "notify"]
    lookup = resolved.functions["lookup"]
    assert lookup.entrypoint is None and lookup.external_execution
    definitions = {d.name: d for d in resolved.definitions}
    assert definitions["lookup"].description == "Look something up elsewhere."
    assert definitions["lookup"].parameters["required"] == ["q"]
    assert definitions["plain"].parameters["properties"] == {"x": {"type": "integer"}}


def test_duplicates_name_both_sources() -> None:
    def buy(item: str) -> str:
        """Another buy."""
        return item

    with pytest.raises(
        ValueError, match=r"duplicate tool name 'buy': defined by toolkit 'shop' and by callable 'buy'"
    ):
        resolve_tools([Shop(), buy])
    with pytest.raises(ValueError, match="duplicate tool name 'x'"):
        resolve_tools([{"name": "x"}, {"type": "function", "function": {"name": "x"}}])


def test_bad_tools_are_rejected() -> None:
    with pytest.raises(ValueError, match="needs a 'name'"):
        resolve_tools([{"description": "nameless"}])
    with pytest.raises(TypeError, match=r"tools\[0\] is a int"):
        resolve_tools([42])  # type: ignore[list-item]


def test_definitions_are_built_once_per_resolution() -> None:
    resolved = resolve_tools([Shop()])
    assert resolved.definitions is resolved.definitions
    assert [d.name for d in resolved.definitions] == list(resolved.functions)


# --------------------------------------------------------------------------- Function options


def test_hitl_flags_are_exclusive_and_fields_must_exist() -> None:
    def send(to: str, body: str) -> str:
        """Send."""
        return to

    with pytest.raises(ValueError, match="only one of requires_confirmation, external_execution"):
        Function.from_callable(send, requires_confirmation=True, external_execution=True)
    with pytest.raises(ValueError, match="unknown parameter"):
        Function.from_callable(send, requires_user_input=True, user_input_fields=["cc"])
    with pytest.raises(TypeError, match="unknown tool option"):
        Function.from_callable(send, confirm=True)


def test_user_input_schema_from_signature() -> None:
    @tool(requires_user_input=True, user_input_fields=["to"])
    def send(to: str, body: str, urgent: bool = False) -> str:
        """Send a message.

        Args:
            to: Recipient address.
            body: Message text.
            urgent: Flag it.
        """
        return to

    fields = send.user_input_schema({"body": "hello", "urgent": True})
    assert [(f.name, f.field_type, f.description, f.value) for f in fields] == [
        ("to", str, "Recipient address.", None),
        ("body", str, "Message text.", "hello"),
        ("urgent", bool, "Flag it.", True),
    ]
    fields[0].value = "a@b.c"
    assert send.apply_user_input({"body": "hello", "urgent": True}, fields) == {
        "to": "a@b.c",
        "body": "hello",
        "urgent": True,
    }

    @tool(requires_user_input=True)
    def ask_all(name: str, age: int | None = None) -> str:
        """Everything comes from the user."""
        return name

    assert [(f.name, f.field_type, f.value) for f in ask_all.user_input_schema({"name": "model"})] == [
        ("name", str, None),
        ("age", int, None),
    ]


def test_with_options_copies_without_reanalysis() -> None:
    @tool
    def base(a: int) -> int:
        """Base."""
        return a

    strict = base.with_options(strict=True, stop_after_tool_call=True)
    assert strict is not base and strict.signature is base.signature
    assert strict.to_definition().strict and not base.to_definition().strict
    assert strict.stop_after_tool_call and not base.stop_after_tool_call


@tool
def module_level_add(a: int, b: int) -> int:
    """Add."""
    return a + b


class HoldsATool:
    add = module_level_add


def test_module_level_tool_stored_on_a_class_is_not_bound() -> None:
    holder = HoldsATool()
    assert holder.add is module_level_add
    assert holder.add(1, 2) == 3
