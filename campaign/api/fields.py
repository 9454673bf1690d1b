"""Shape checks for API input: JSON bodies and query strings.

Each field both parses a value and describes itself as JSON Schema, so the OpenAPI document
and the parsing can never disagree. Only shape is checked here (type, presence, length,
storage range); the rules (amount limits, verified shop, dates in the campaign) stay in the
services. Strings with control characters (NUL, ...; see :mod:`campaign.web.inputs`) or unpaired
surrogates are refused: no database stores them.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from campaign.core.errors import ValidationFailed
from campaign.web.inputs import has_control_characters

INT32_MAX = 2_147_483_647
INT64_MAX = 9_223_372_036_854_775_807
INVALID = "Data tidak valid. Periksa isian yang ditandai."
_MISSING = object()
_INT_TEXT = re.compile(r"-?[0-9]{1,19}")
_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MOMENT_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:[0-9]{2})")


class FieldError(ValueError):
    """One field's problem; :meth:`Fields.parse` collects them into a ValidationFailed."""


class Field:
    """A named value. ``required`` fields must be present; absent optional ones get ``default``."""

    json_type = "string"

    def __init__(self, name: str, *, required: bool = True, default: Any = None, nullable: bool = False,
                 description: str = ""):
        self.name = name
        self.required = required
        self.default = default
        self.nullable = nullable
        self.description = description

    def schema(self) -> dict:
        schema: dict[str, Any] = {"type": [self.json_type, "null"] if self.nullable else self.json_type}
        schema.update(self.constraints())
        if self.description:
            schema["description"] = self.description
        return schema

    def constraints(self) -> dict:
        return {}

    def parse(self, value: Any) -> Any:
        """A JSON value, already decoded, to the Python value; raises FieldError."""
        if value is None:
            if self.nullable:
                return None
            raise FieldError("Tidak boleh null.")
        return self.convert(value)

    def parse_text(self, text: str) -> Any:
        """A query-string value (always text) to the Python value; raises FieldError."""
        return self.convert(text)

    def convert(self, value: Any) -> Any:
        raise NotImplementedError


class Int(Field):
    json_type = "integer"

    def __init__(self, name: str, *, minimum: int = -INT64_MAX, maximum: int = INT64_MAX, **kwargs):
        super().__init__(name, **kwargs)
        self.minimum, self.maximum = minimum, maximum

    def constraints(self) -> dict:
        return {"minimum": self.minimum, "maximum": self.maximum}

    def convert(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise FieldError("Harus bilangan bulat.")
        if not self.minimum <= value <= self.maximum:
            raise FieldError(f"Harus antara {self.minimum} dan {self.maximum}.")
        return value

    def parse_text(self, text: str) -> int:
        if not _INT_TEXT.fullmatch(text.strip()):
            raise FieldError("Harus bilangan bulat.")
        return self.convert(int(text.strip()))


class Str(Field):
    def __init__(self, name: str, *, max_length: int = 200, enum: tuple[str, ...] | None = None,
                 pattern: str | None = None, **kwargs):
        super().__init__(name, **kwargs)
        self.max_length, self.enum, self.pattern = max_length, enum, pattern

    def constraints(self) -> dict:
        if self.enum:
            return {"enum": list(self.enum) + ([None] if self.nullable else [])}
        result: dict[str, Any] = {"maxLength": self.max_length}
        if self.pattern:
            result["pattern"] = self.pattern
        return result

    def convert(self, value: Any) -> str:
        if not isinstance(value, str):
            raise FieldError("Harus berupa teks.")
        if has_control_characters(value) or not _encodable(value):
            raise FieldError("Mengandung karakter yang tidak diizinkan.")
        if self.enum and value not in self.enum:
            raise FieldError(f"Pilih salah satu: {', '.join(self.enum)}.")
        if len(value) > self.max_length:
            raise FieldError(f"Maksimal {self.max_length} karakter.")
        if self.pattern and not re.search(self.pattern, value):
            raise FieldError("Formatnya tidak sesuai.")
        return value


class Bool(Field):
    json_type = "boolean"

    def convert(self, value: Any) -> bool:
        if not isinstance(value, bool):
            raise FieldError("Harus true atau false.")
        return value


class Day(Field):
    """A calendar date as ``YYYY-MM-DD``."""

    def constraints(self) -> dict:
        return {"format": "date"}

    def convert(self, value: Any) -> date:
        if not isinstance(value, str) or not _DATE_TEXT.fullmatch(value):
            raise FieldError("Tanggal harus berformat TTTT-BB-HH, mis. 2026-11-27.")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise FieldError("Tanggal tidak ada di kalender.") from None


class IntList(Field):
    """A JSON array of distinct integer ids (``[12, 15]``); not for query strings."""

    json_type = "array"

    def __init__(self, name: str, *, max_items: int = 1000, maximum: int = INT32_MAX, **kwargs):
        super().__init__(name, **kwargs)
        self.max_items, self.maximum = max_items, maximum

    def constraints(self) -> dict:
        return {"items": {"type": "integer", "minimum": 1, "maximum": self.maximum}, "maxItems": self.max_items,
                "uniqueItems": True}

    def convert(self, value: Any) -> list[int]:
        if not isinstance(value, list) or len(value) > self.max_items:
            raise FieldError(f"Harus daftar berisi paling banyak {self.max_items} id.")
        if any(isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= self.maximum for v in value):
            raise FieldError("Setiap id harus bilangan bulat positif.")
        if len(set(value)) != len(value):
            raise FieldError("Id tidak boleh berulang.")
        return value


class Moment(Field):
    """A point in time, ISO 8601 with an offset (``2026-12-05T09:00:00+08:00``)."""

    def constraints(self) -> dict:
        return {"format": "date-time"}

    def convert(self, value: Any) -> datetime:
        if not isinstance(value, str) or not _MOMENT_TEXT.fullmatch(value):
            raise FieldError("Waktu harus ISO 8601 dengan zona, mis. 2026-12-05T09:00:00+08:00.")
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise FieldError("Waktu tidak ada di kalender.") from None


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class Fields:
    """A set of fields: a JSON object body (``Fields.parse``) or query parameters (``parse_args``)."""

    def __init__(self, *fields: Field, description: str = "", example: dict | None = None):
        self.fields = fields
        self.description = description
        self.example = example

    def schema(self) -> dict:
        schema: dict[str, Any] = {"type": "object",
                                  "properties": {f.name: f.schema() for f in self.fields}}
        required = [f.name for f in self.fields if f.required]
        if required:
            schema["required"] = required
        if self.description:
            schema["description"] = self.description
        if self.example:
            schema["examples"] = [self.example]
        return schema

    def parse(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """The body's fields as Python values; unknown keys are ignored. Raises ValidationFailed
        listing every faulty field."""
        return self._collect(lambda field: data.get(field.name, _MISSING), text=False)

    def parse_args(self, args: Mapping[str, str]) -> dict[str, Any]:
        """Query parameters; an empty value counts as absent (as an HTML form sends it)."""
        return self._collect(lambda field: args.get(field.name) or _MISSING, text=True)

    def _collect(self, lookup, *, text: bool) -> dict[str, Any]:
        values: dict[str, Any] = {}
        errors: dict[str, list[str]] = {}
        for field in self.fields:
            raw = lookup(field)
            try:
                if raw is _MISSING:
                    if field.required:
                        raise FieldError("Wajib diisi.")
                    values[field.name] = field.default
                else:
                    values[field.name] = field.parse_text(raw) if text else field.parse(raw)
            except FieldError as exc:
                errors[field.name] = [str(exc)]
        if errors:
            raise ValidationFailed(INVALID, fields=errors)
        return values


class Variants:
    """A body whose fields depend on one discriminating field (``"role": "asn" | "shop_owner"``)."""

    def __init__(self, key: str, variants: dict[str, Fields]):
        self.key = key
        self.variants = variants

    def schema(self) -> dict:
        options = []
        for value, fields in self.variants.items():
            schema = fields.schema()
            schema["properties"] = {self.key: {"const": value}, **schema["properties"]}
            schema["required"] = [self.key, *schema.get("required", [])]
            options.append(schema)
        return {"oneOf": options}

    def parse(self, data: Mapping[str, Any]) -> dict[str, Any]:
        key = Str(self.key, enum=tuple(self.variants))
        try:
            value = key.parse(data[self.key]) if self.key in data else None
        except FieldError as exc:
            raise ValidationFailed(INVALID, fields={self.key: [str(exc)]}) from None
        if value is None:
            raise ValidationFailed(INVALID, fields={self.key: [f"Wajib diisi: {', '.join(self.variants)}."]})
        return {self.key: value, **self.variants[value].parse(data)}
