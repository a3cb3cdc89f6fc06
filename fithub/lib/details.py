"""Typed write arguments: one frozen dataclass per kind of write.

A service takes `details: SomethingDetails` instead of `**data: Any`, so mypy checks every
call, and the dataclass is the one field list the form, serializer and import are read into
(`from_mapping` ignores the keys it does not know). An update starts from what the object
holds (`of`) and takes what was given (`changed`), so a partial change stays partial.
"""

import dataclasses
from collections.abc import Mapping
from typing import Any, Self


@dataclasses.dataclass(frozen=True, kw_only=True)
class Details:
    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(cls))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Self:
        """Build from a form's or serializer's cleaned data (extra keys are ignored)."""
        return cls(**{name: data[name] for name in cls.field_names() if name in data})

    @classmethod
    def of(cls, obj: Any) -> Self:
        """What the object holds now."""
        return cls(**{name: getattr(obj, name) for name in cls.field_names()})

    def changed(self, data: Mapping[str, Any]) -> Self:
        """These details with the given values in place (unknown keys are ignored)."""
        return dataclasses.replace(
            self, **{name: data[name] for name in self.field_names() if name in data}
        )

    def apply(self, obj: Any) -> None:
        """Set every field on the object."""
        for name in self.field_names():
            setattr(obj, name, getattr(self, name))
