"""Parameter paths: addressing a scenario's numeric fields by ids.

A path walks the scenario with dots; inside a list the next part is an item's id (or a
0-based position for lists without ids, such as `changes` or `equity`):
`contracts.msk_prime.annual_value`, `workforce.roles.esp.fill_rate`,
`contracts.msk_prime.changes.0.annual_value`, `funding.facility.limit`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class PathError(ValueError):
    """A parameter path that does not name a numeric field of the scenario."""


def _field_name(model: BaseModel, part: str) -> str:
    fields = type(model).model_fields
    if part in fields:
        return part
    for name, info in fields.items():
        if info.alias == part:
            return name
    raise PathError(f"'{part}' is not a field here (choose from {', '.join(_public_names(model))})")


def _public_names(model: BaseModel) -> list[str]:
    return [info.alias or name for name, info in type(model).model_fields.items()]


def list_position(part: str, length: int) -> int | None:
    """The 0-based position a path part names in a list of `length` items, or None.

    ASCII `isdecimal`, not `isdigit`: "²" is a digit that int() refuses, and int() reads Arabic or
    full-width digits that nobody would write as a position; a part too long to be a position is
    not converted at all."""
    return int(part) if part.isascii() and part.isdecimal() and len(part) < 7 and int(part) < length else None


def no_item(part: str, ids: list) -> str:
    """Why a list holds no item `part`, naming the ids (or positions) it does hold."""
    known = ", ".join(i for i in ids if i) or (f"positions 0..{len(ids) - 1}" if ids else "the list is empty")
    return f"no item '{part}' (known: {known})"


def _step(node: Any, part: str) -> Any:
    if isinstance(node, (list, tuple)):
        for item in node:
            if getattr(item, "id", None) == part:
                return item
        position = list_position(part, len(node))
        if position is not None:
            return node[position]
        raise PathError(no_item(part, [getattr(i, "id", None) for i in node]))
    if isinstance(node, BaseModel):
        return getattr(node, _field_name(node, part))
    raise PathError(f"cannot look inside a value at '{part}'")


def get_value(scenario: BaseModel, path: str) -> Any:
    """The value a path names; raises PathError with a plain reason if it names none."""
    node: Any = scenario
    for part in path.split("."):
        if node is None:
            raise PathError(f"'{path}': the section before '{part}' is not in the scenario")
        node = _step(node, part)
    return node


def get_number(scenario: BaseModel, path: str) -> float:
    """The numeric value at a path; raises PathError if the path is not a number."""
    try:
        value = get_value(scenario, path)
    except PathError as exc:
        raise PathError(f"'{path}': {exc}") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PathError(f"'{path}' is not a numeric field")
    return float(value)


def is_integer_field(scenario: BaseModel, path: str) -> bool:
    """Whether a path names a whole-number field (months, lags): draws are rounded."""
    parts = path.split(".")
    parent = get_value(scenario, ".".join(parts[:-1])) if len(parts) > 1 else scenario
    if isinstance(parent, (list, tuple)):
        return False
    info = type(parent).model_fields[_field_name(parent, parts[-1])]
    return info.annotation is int or "int" == getattr(info.annotation, "__name__", "")


def numeric_paths(scenario: BaseModel) -> list[str]:
    """Every path to a numeric field in the scenario, in file order (for pickers)."""
    out: list[str] = []

    def walk(node: Any, prefix: str) -> None:
        if isinstance(node, BaseModel):
            if prefix == "uncertainty":
                return
            for name, info in type(node).model_fields.items():
                key = info.alias or name
                walk(getattr(node, name), f"{prefix}.{key}" if prefix else key)
        elif isinstance(node, (list, tuple)):
            for i, item in enumerate(node):
                walk(item, f"{prefix}.{getattr(item, 'id', None) or i}")
        elif isinstance(node, (int, float)) and not isinstance(node, bool):
            if not prefix.endswith("schema_version"):
                out.append(prefix)

    walk(scenario, "")
    return out


def with_value(scenario: BaseModel, path: str, value: float) -> BaseModel:
    """A copy of the scenario with the field at `path` set to `value` (validated again)."""
    get_number(scenario, path)
    data = scenario.model_dump(mode="json", by_alias=True)  # lists, not the model's tuples
    node: Any = data
    parts = path.split(".")
    for part in parts[:-1]:
        if isinstance(node, list):
            node = next((i for i in node if i.get("id") == part), None) or node[int(part)]
        else:
            node = node[part]
    last = parts[-1]
    node[int(last) if isinstance(node, list) else last] = value   # a list of numbers: seasonality.3
    return type(scenario).model_validate(data)


# Inputs the engine reads per draw (`Inputs.num`/`Inputs.whole`), so only these may be uncertain:
# anything else (the horizon, seasonality factors, the schema version, uncertainty settings)
# would be drawn and then ignored, giving P10 = P90. `<id>` is a list item's id, `<n>` a position.
ENGINE_INPUTS = (
    "indexation.pay", "indexation.non_pay", "indexation.prices", "appraisal.discount_rate",
    "activity.<id>.per_month", "activity.<id>.annual_growth",
    *(f"contracts.<id>.{f}" for f in ("annual_value", "price_per_unit", "rate_per_head", "population", "share",
                                      "population_growth", "start_delay_months", "ramp_months", "payment_lag_months",
                                      "withhold.share", "withhold.earned", "withhold.settle_lag_months",
                                      "risk_share.target_annual", "risk_share.provider_share", "risk_share.cap",
                                      "risk_share.collar", "risk_share.settle_lag_months")),
    *(f"contracts.<id>.changes.<n>.{f}" for f in ("annual_value", "price_per_unit", "rate_per_head", "population")),
    *(f"workforce.on_costs.{f}" for f in ("employer_ni_rate", "ni_threshold", "pension_rate", "other_rate")),
    *(f"workforce.roles.<id>.{f}" for f in ("salary", "plan.<n>.wte", "driver.share", "driver.units_per_wte_month",
                                            "recruit_lead_months", "recruit_cost_per_wte", "fill_rate",
                                            "agency_premium", "attrition_annual", "notice_months")),
    *(f"costs.<id>.{f}" for f in ("annual", "commitment_months", "payment_lag_months", "share", "unit_cost",
                                  "amount")),
    "capex.<id>.amount", "capex.<id>.life_years",
    "funding.opening_cash", "funding.minimum_cash", "funding.equity.<n>.amount",
    *(f"funding.loans.<id>.{f}" for f in ("amount", "annual_rate", "term_months")),
    "funding.facility.limit", "funding.facility.annual_rate", "tax.corporation_tax_rate", "tax.payment_lag_months",
)
_LIST_FIELDS = {"activity", "contracts", "roles", "costs", "capex", "loans", "changes", "plan", "equity"}


def engine_input(path: str) -> str:
    """A path's pattern with ids and positions replaced (`contracts.<id>.changes.<n>.population`)."""
    parts = path.split(".")
    out = []
    for i, part in enumerate(parts):
        after_list = i > 0 and parts[i - 1] in _LIST_FIELDS
        out.append(("<n>" if parts[i - 1] in ("changes", "plan", "equity") else "<id>") if after_list else part)
    return ".".join(out)


def is_engine_input(path: str) -> bool:
    """Whether the engine reads the input at `path` for each draw (so it may be uncertain)."""
    return engine_input(path) in ENGINE_INPUTS


# The unit of a field, read from its name (the schema names say their unit where it is not obvious).
MONEY_ENDINGS = ("annual_value", "price_per_unit", "rate_per_head", "salary", "amount", ".annual", "unit_cost",
                 "limit", "opening_cash", "minimum_cash", "target_annual", "cap", "collar", "recruit_cost_per_wte",
                 "ni_threshold")
RATE_WORDS = ("growth", "rate", "share", "premium", "attrition", "earned")


def input_unit(path: str) -> str:
    """The unit of the input a parameter path names: "£", "%", "months" or "" (a plain number)."""
    name = path.rsplit(".", 1)[-1]
    if f".{name}".endswith(MONEY_ENDINGS):  # ".annual" matches a cost's `annual`, not `attrition_annual`
        return "£"
    if name.endswith("_months"):
        return "months"
    if path.startswith("indexation.") or any(w in name for w in RATE_WORDS):
        return "%"
    return ""
