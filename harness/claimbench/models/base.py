"""Shared base and field types of the data contract."""

from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer


class ContractModel(BaseModel):
    """Base for contract models: unknown fields are errors, never silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class OptionalClaimsModel(ContractModel):
    """A contract model with an optional `claims` layer that is left out of dumps while null.

    Files written before the claims layer existed stay byte-identical when read and written
    again. A subclass names in `omitted_when_null` the other fields it leaves out the same way.
    """

    omitted_when_null: ClassVar[tuple[str, ...]] = ("claims",)

    @model_serializer(mode="wrap")
    def _omit_absent_claims(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if isinstance(data, dict):
            for name in self.omitted_when_null:
                if data.get(name, ...) is None:
                    del data[name]
        return data


ItemId = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.:-]+$")]
EntityId = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
DocId = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
